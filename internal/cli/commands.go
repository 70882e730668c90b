package cli

import "github.com/spf13/cobra"

// commands lists care's subcommands, one constructor each (one file per
// command). Add a new command here.
func (app *App) commands() []*cobra.Command {
	return []*cobra.Command{
		app.newValidateCmd(),
		app.newReportCmd(),
		app.newDiffCmd(),
		app.newLogCmd(),
		app.newDueCmd(),
		app.newInitCmd(),
		app.newNewCmd(),
		app.newSchemaCmd(),
		app.newCompletionCmd(),
		app.newDocsCmd(),
		app.newExportCmd(),
		app.newImportCmd(),
	}
}
