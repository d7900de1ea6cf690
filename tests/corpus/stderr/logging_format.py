# The logging HOWTO's "Changing the format of displayed messages":
# https://docs.python.org/3/howto/logging.html#changing-the-format-of-displayed-messages
import logging
logging.basicConfig(format='%(levelname)s:%(message)s', level=logging.DEBUG)
logging.debug('This message should appear on the console')
logging.info('So should this')
logging.warning('And this, too')
