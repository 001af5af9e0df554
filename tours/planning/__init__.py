"""Planning: request reading, the orienteering solver and the itinerary builder."""
