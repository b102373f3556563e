"""Services: the business operations handlers call, over repositories and the clock."""
