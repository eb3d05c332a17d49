// Placeholder: fetch/04_body (being written)
