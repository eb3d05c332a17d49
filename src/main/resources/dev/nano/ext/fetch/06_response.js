// Placeholder: fetch/06_response (being written)
