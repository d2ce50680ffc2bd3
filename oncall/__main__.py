from oncall.cli.app import main

main()
