# The logging HOWTO's first example, "A simple example":
# https://docs.python.org/3/howto/logging.html#a-simple-example
import logging
logging.warning('Watch out!')  # will print a message to the console
logging.info('I told you so')  # will not print anything
