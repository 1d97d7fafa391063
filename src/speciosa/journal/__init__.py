"""What a person records: entry models, device samples, products and units, profile, clock."""
