// Placeholder: fetch/02_file (being written)
