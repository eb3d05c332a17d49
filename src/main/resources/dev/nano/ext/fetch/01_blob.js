// Placeholder: fetch/01_blob (being written)
