import sys

from workforce.cli import main

sys.exit(main())
