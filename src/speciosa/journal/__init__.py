"""What a person records: entry models, products and units, the profile, and the clock."""
