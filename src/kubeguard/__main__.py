from kubeguard.cli.main import main

main()
