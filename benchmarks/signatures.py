"""The junk signatures both evaluators count (benchmarks/eval_artifacts.py, per labelled family;
benchmarks/eval_families.py, per source): family -> (the preset that should remove it, a regex).
Written from the shapes of the junk, independently of the rules, so one table serves both."""

from __future__ import annotations

MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_NAME = r"[A-Z][\w.'\-]+(?: [A-Z][\w.'\-]+){0,3}"
_AGENCY = (
    r"(?:AP|AFP|EPA|Reuters|Getty Images|Bloomberg|Shutterstock|Associated Press|Invision"
    r"|Canadian Press|The Washington Post|CBC|Pool|NurPhoto|Sipa USA|Staff|iStock|Flickr"
    r"|Wikimedia(?: Commons)?|Facebook|Twitter|Instagram|Handout|Courtesy)"
)
#: family -> (preset that should remove it, signature). Independent of the rules.
SIGNATURES: dict[str, tuple[str, str]] = {
    "read_more": (
        "default",
        r"(?m:^[ \t]*(?:READ MORE|Read [Mm]ore|ALSO READ|Also [Rr]ead|READ ALSO|Read also"
        r"|SEE ALSO|See [Aa]lso|RELATED(?: \w+)?|Related(?: \w+)?|MORE|More|Read [Nn]ext|READ NEXT"
        r"|More from [^\n:]{1,40})[ \t]?:)"
        r"|(?<=[.!?\"”'] )(?:READ MORE|Read [Mm]ore|ALSO READ|Also [Rr]ead|READ ALSO|SEE ALSO"
        r"|RELATED)[ \t]?:"
        r"|(?m:^[ \t]*(?:Read [Mm]ore|READ MORE)(?:[!.…]|\.\.\.)?[ \t]*$)"
        r"|(?m:^Read more (?:from|on|about)\b)"
        r"|(?m:(?<=[\w.!?\"”'’] )(?:[–—-] )?(?:Read [Mm]ore|READ MORE)(?:…|\.\.\.)?[ \t]*$)"
        # a link in brackets inside a paragraph: "(RELATED: <headline>)", "[Read more: <headline>]"
        r"|[(\[](?:READ MORE|Read [Mm]ore|ALSO READ|Also [Rr]ead|RELATED|Related|SEE ALSO"
        r"|See [Aa]lso)[ \t]?:"
        # a read-more button alone or after the last sentence: "Read More >>", "Continue reading →"
        r"|(?m:(?:^|(?<=[.!?\"”'’)] ))[ \t]*(?:[\[(]|[»›→>]{1,2} ?)?(?:Read [Mm]ore|READ MORE"
        r"|Continue [Rr]eading|CONTINUE READING|Keep [Rr]eading"
        r"|Read (?:the )?full (?:story|article)|Read the rest of this (?:entry|post))"
        r"(?: ?(?:[»›→▸…!.:\])]|>>?|\.\.\.))*[ \t]*$)",
    ),
    "click_here": (
        "default",
        r"(?m:(?:^|(?<=[.!?:\"”)])[ \t]+|(?<=, ))(?:CLICK HERE|[Cc]lick (?:here|HERE|Here))\b)"
        r"|BY CLICKING HERE",  # an all-caps promo: "GET <APP> ON YOUR PHONE BY CLICKING HERE"
    ),
    "photo_credit": (
        "default",
        r"\((?:AP |AFP |Reuters |Getty |FILE |File )?(?:Photo|PHOTO)(?::|/)|toggle caption"
        rf"|\({_NAME}/(?:[^()\n/]{{1,40}}/)?{_AGENCY}\)"
        r"|\((?!Reporting|Writing|Editing)[A-Z][\w.'\-]+(?: [A-Z][\w.'\-]+){1,4}"
        r"/[A-Z][^()\n]{1,60}\)"
        r"(?m:(?=[ \t]*$| [A-Z\"]))"
        rf"|(?m:Photo(?:grapher|graph)?: [^\n]{{1,60}}/[^\n]*$)|(?m:^[^\n.]{{0,60}}/{_AGENCY}\)?$)"
        # a caption line cut short and credited: "<caption> ... (Associated Press)" (the whole line)
        r"|(?m:^[^\n]{20,600}?(?:\.\.\.|…) ?\((?:Associated Press|AP|Reuters|AFP)\)[ \t]*$)",
    ),
    "image_caption": ("default", r"(?:Image|Media) (?:copyright|caption) "),
    "featured_image": (
        "default",
        r"(?i:(?:featured|header|top) image(?: via|:| credit))",
    ),
    "newsletter": (
        "default",
        r"(?i:sign up for [^\n]{0,40}newsletter|by signing up,? you agree|subscribe to"
        r" (?:the |our )?[^\n.]{0,40}newsletter|in your inbox every|to your inbox[?.!]"
        r" (?:sign up|subscribe)|\bin your inbox\b|delivered (?:\w+ ){0,2}to your inbox)",
    ),
    "social_follow": (
        "default",
        r"(?mi:^[ \t]*-?[ \t]*follow @\w+)"
        r"|\b(?i:follow) (?:us|him|her|me|@\w+|[A-Z][\w.]+(?: [A-Z][\w.]+){0,4}"
        r"(?: (?:reporter|writer|columnist|correspondent|editor) [A-Z][\w.]+"
        r"(?: [A-Z][\w.]+){0,2})?)"
        r" on (?i:twitter|facebook|instagram)|(?i:\blike us on facebook)"
        r"|For [^\n.!?]{0,80}, follow (?:us|@\w+)",
    ),
    "share": (
        "default",
        r"Share this with|Read or Share this story|SHARE THIS (?:ARTICLE|STORY)"
        r"|(?m:^Share this:)|\b\d[\d.,]*k? SHARES\b|(?i:bookmark with:)|Share On more"
        r"|(?m:^[ \t]*Facebook Twitter Pinterest)",
    ),
    "tweet_counter": ("default", r"(?i:\bretweets?\s+[\d,.]+k?\s+[\d,.]*k?\s*likes?\b)"),
    "wp_widget": ("default", r"Like this:\s*Like|(?m:^[ \t]*Like\s+Loading(?:…|\.\.\.))"),
    "advertisement": (
        "default",
        r"(?mi:^[ \t]*advertisement:?[ \t]*$|story continues below)"
        r"|(?m:^Story Continued Below$)|Continue Reading Below",
    ),
    "scroll_video": ("default", r"(?i:scroll down for video)"),
    "media_playback": ("default", r"Media playback is unsupported"),
    "updated_at": (
        "default",
        r"(?m:^[ \t]*Updated [^\n]{0,25}\d{1,2}(?::\d\d)? ?[ap]\.m\.[^\n]{0,40}$)",
    ),
    "relative_time_line": (
        "default",
        r"(?m:^[ \t]*\d+ (?:minutes?|hours?|days?|years?) ago[ \t]*$)",
    ),
    "cookie_js": ("default", r"(?i:enable javascript|this (?:web)?site uses cookies)"),
    "promo_nrplus": ("default", r"Join NRPLUS"),
    "newsapi_truncation": ("default", r"\[\+\d+ chars\]"),
    "html_leftover": (
        "default",
        r"&(?:amp|quot|lt|gt|nbsp|#\d+);"
        r"|</?(?:p|li|ul|br|div|span)\b[^>]{0,40}>|<a\s[^>]{0,300}>",
    ),
    "mojibake": ("default", r"â€|Ã[©¨§¡³¶¼]|Â(?!\w)"),
    "glued_sentence": (
        "default",
        r"\b[a-z]{3,}\.(?:The|He|She|It|They|We|Mr|Mrs|Ms|Dr|But|In|A)\b",
    ),
    "copyright": ("extended", r"©|\bCopyright \d{4}|All rights reserved"),
    "cnn_dateline": ("extended", r"\(CNN\)\s*(?:--|—|–|-)"),
    "dailymail_header": ("extended", r"PUBLISHED: \."),
    "url_line": ("extended", r"(?m:^[ \t]*https?://\S+[ \t]*$)"),
    "embedded_tweet": ("extended", rf"— [^\n]{{1,80}}\(@\w+\) {MONTH} \d{{1,2}}"),
    "caps_teaser": ("extended", r"(?m:^(?=[^a-z\n]*[A-Z]{3})[^a-z\n]{20,}$)"),
    "byline": ("extended", r"(?m:^By [A-Z][^\n.]{0,80}$)"),
}
