// Placeholder: fetch/03_form_data (being written)
