// Placeholder: fetch/05_request (being written)
