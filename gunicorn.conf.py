"""Gunicorn settings read from the project folder by every start (scripts/start, bench/, the
README's production command); the command line sets workers, threads and the address."""

# A kept-alive connection that the server closes at the moment a client reuses it is reset
# ("Connection reset by peer"). Keep idle connections longer than clients and load balancers
# do (a browser pauses between pages; a balancer's idle timeout is commonly 60 s).
keepalive = 75
