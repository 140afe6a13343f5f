from longarm.cli import main

main()
