// Command care keeps, checks and reports on the records of a left-behind
// children care programme. See the README.
package main

import (
	"os"

	"github.com/care-tool/care/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:]))
}
