"""Resolve: join each workload with its model, licences, provider, region and
organisation into one fact record."""
