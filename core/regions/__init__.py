"""Administrative regions (省/市) and the region scope that limits what an admin may see."""
