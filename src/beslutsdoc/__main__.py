from beslutsdoc.cli import main

raise SystemExit(main())
