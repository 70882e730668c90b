package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

func (app *App) newDocsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "docs",
		Short: "Generate care's documentation (man pages)",
		Long: `Generate care's reference documentation from the command tree, so that it
always matches the installed version.

Exit status:
  0  the documentation was written
  2  usage or runtime error (the folder cannot be written)`,
		Example: `  care docs man ./man
  sudo care docs man /usr/local/share/man/man1`,
		Args: cobra.ArbitraryArgs,
		// Flags meant for a subcommand must not hide the mistyped subcommand.
		FParseErrWhitelist: cobra.FParseErrWhitelist{UnknownFlags: true},
		RunE:               func(cmd *cobra.Command, args []string) error { return app.unknownSubcommand(cmd, args) },
	}
	cmd.AddCommand(app.newDocsManCmd())
	return cmd
}

type docsManOptions struct {
	dir string
}

func (app *App) newDocsManCmd() *cobra.Command {
	opts := &docsManOptions{}
	cmd := &cobra.Command{
		Use:   "man DIR",
		Short: "Write a man page for every care command into DIR",
		Long: `Write a man page (section 1) for care and for each of its commands into DIR,
created if needed: care.1, care-validate.1, care-new-talk.1, ... Existing
pages of the same names are replaced. Read them with man -l DIR/care.1, or
copy them into a folder of your MANPATH (e.g. /usr/local/share/man/man1).
The pages are dated today (CARE_TODAY, if set). Each file written is printed.

Exit status:
  0  the pages were written
  2  usage or runtime error (DIR cannot be created or written)`,
		Example: `  care docs man ./man && man -l ./man/care.1
  sudo care docs man /usr/local/share/man/man1`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.dir = args[0]
			return app.runDocsMan(cmd.Root(), opts)
		},
	}
	return cmd
}

func (app *App) runDocsMan(root *cobra.Command, opts *docsManOptions) error {
	today, err := app.today()
	if err != nil {
		return err
	}
	dir := opts.dir
	if !filepath.IsAbs(dir) {
		wd, err := app.workDir()
		if err != nil {
			return err
		}
		dir = filepath.Join(wd, dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("%s: %w", opts.dir, unwrapPath(err))
	}
	date := today.Time()
	root.DisableAutoGenTag = true
	header := &doc.GenManHeader{Section: "1", Date: &date, Source: "care " + Version, Manual: "care manual"}
	if err := doc.GenManTree(root, header, dir); err != nil {
		return fmt.Errorf("%s: %w", opts.dir, unwrapPath(err))
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.IsAvailableCommand() && !sub.IsAdditionalHelpTopicCommand() {
				walk(sub)
			}
		}
		name := strings.ReplaceAll(c.CommandPath(), " ", "-") + ".1"
		fmt.Fprintln(app.IO.Out, displayPath(filepath.Join(dir, name)))
	}
	walk(root)
	return nil
}
