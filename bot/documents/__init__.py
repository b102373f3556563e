"""Files the bot sends and reads: printable forms, calendars, spreadsheets, charts, backups."""
