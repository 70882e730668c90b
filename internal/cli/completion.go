package cli

import (
	"github.com/spf13/cobra"
)

type completionOptions struct {
	shell          string
	noDescriptions bool
}

// newCompletionCmd replaces cobra's default completion command (cobra adds
// its own only when the tree has none) so that it is documented like every
// other command.
func (app *App) newCompletionCmd() *cobra.Command {
	opts := &completionOptions{}
	cmd := &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "Print the shell completion script for bash, zsh, fish or PowerShell",
		Long: `Print a script that makes the shell complete care's commands, flags and
arguments when Tab is pressed. Load it once per session, or install it as
shown below so that every new shell has it.

bash (needs the bash-completion package):
  source <(care completion bash)                              # this session
  care completion bash > /etc/bash_completion.d/care          # every session (Linux)

zsh:
  source <(care completion zsh)                               # this session
  care completion zsh > "${fpath[1]}/_care"                   # every session
  (compinit must be enabled: autoload -U compinit; compinit)

fish:
  care completion fish | source                               # this session
  care completion fish > ~/.config/fish/completions/care.fish # every session

PowerShell:
  care completion powershell | Out-String | Invoke-Expression # this session
  (add that line to $PROFILE for every session)

--no-descriptions leaves out the one-line descriptions of the candidates.

Exit status:
  0  the script was printed
  2  usage error (no shell, or an unknown shell)`,
		Example: `  source <(care completion bash)
  care completion zsh > "${fpath[1]}/_care"
  care completion fish > ~/.config/fish/completions/care.fish
  care completion powershell | Out-String | Invoke-Expression`,
		ValidArgs:             []string{"bash", "zsh", "fish", "powershell"},
		DisableFlagsInUseLine: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return withHint(usagef("%s", app.lang(nil).Pick("请指定一种 shell：bash、zsh、fish 或 powershell",
					"name one shell: bash, zsh, fish or powershell")), "care completion --help")
			}
			opts.shell = args[0]
			return app.runCompletion(cmd.Root(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.noDescriptions, "no-descriptions", false, "leave out the descriptions of the completions")
	return cmd
}

func (app *App) runCompletion(root *cobra.Command, opts *completionOptions) error {
	w := app.IO.Out
	desc := !opts.noDescriptions
	switch opts.shell {
	case "bash":
		return root.GenBashCompletionV2(w, desc)
	case "zsh":
		if desc {
			return root.GenZshCompletion(w)
		}
		return root.GenZshCompletionNoDesc(w)
	case "fish":
		return root.GenFishCompletion(w, desc)
	case "powershell", "pwsh":
		if desc {
			return root.GenPowerShellCompletionWithDesc(w)
		}
		return root.GenPowerShellCompletion(w)
	}
	return withHint(usagef("%s", app.lang(nil).Pick("不支持的 shell："+opts.shell, "unknown shell "+opts.shell)),
		app.lang(nil).Pick("可选：bash、zsh、fish、powershell", "choose bash, zsh, fish or powershell"))
}
