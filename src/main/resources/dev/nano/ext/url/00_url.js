// Placeholder: url/00_url (being written)
