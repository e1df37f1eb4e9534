<?php
// Test path: the container's hostname (the pod's name), so that tests can tell
// the replicas behind the frontend service apart. Every answer of this image
// also carries it in an X-Hostname header (see guestbook.conf).
header('Content-Type: text/plain');
print(gethostname() . "\n");
