"""Release hygiene: migrations, supported versions, pinned requirements, what a deploy ships."""
