from gongfu.cli import main

main()
