// Placeholder: fetch/00_headers (being written)
