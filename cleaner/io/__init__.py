"""Reading records from dumps and writing clean records and rejects."""
