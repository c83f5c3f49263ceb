from server.runtime.cli import main

main()
