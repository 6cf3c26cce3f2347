"""English texts of the command line: help of `gatewise` and `gatewise from-torch`, the torch bridge's
usage errors, and argparse's own words (server/argtext.py)."""

from .messages_torch_en import MESSAGES as TORCH

MESSAGES = {
    # ---- help of the commands (cli_help_) --------------------------------------------------------
    "cli_help_description": "Gatewise: backpropagation, gate by gate.",
    "cli_help_lang": "language of tables, help and errors: en or zh (default: LC_ALL, LC_MESSAGES or LANG, "
                     "else en)",
    "cli_help_serve": "serve the web app and the REST API",
    "cli_help_env": "environment variables (defaults):",
    "cli_help_workers": "worker processes (default 1)",
    "cli_help_access_log": "log every request (off: it costs time)",
    "cli_help_loop": "event loop (auto: uvloop where installed)",
    "cli_help_backlog": "connections waiting to be accepted",
    "cli_help_keep_alive": "seconds an idle connection is kept",
    "cli_help_eval": "evaluate a program and print its nodes",
    "cli_help_eval_epilog": "example: {example}  (tensors as JSON: W='[[1,2],[3,4]]')",
    "cli_help_program": "the program text, or - to read it from standard input",
    "cli_help_values": "input values: numbers or JSON lists",
    "cli_help_json": "print the API's JSON instead of a table",
    "cli_help_expand": "expand composite gates into primitives",
    "cli_help_fold": "show each call of a user function (def) as one row, its block's value and gradient",
    "cli_help_gradcheck": "compare analytic and numeric gradients",
    # ---- gatewise from-torch (cli_torch_) ---------------------------------------------------------
    "cli_torch_help": "translate your PyTorch file into a program (needs torch)",
    "cli_torch_epilog": ("FILE.py:NAME names a Module or function (inputs from the file's EXAMPLE_INPUTS) "
                         "or a zero-argument function returning (fn, example_args)"),
    "cli_torch_target": "the file and the name in it (default: example)",
    "cli_torch_json": "print the evaluated graph as the API's JSON",
    "cli_torch_serve": "serve the page and open the circuit in it",
    "cli_torch_port": "the port for --serve (default: a free one)",
    "cli_torch_no_browser": "with --serve: print the address only",
    "cli_torch_needs_torch": "gatewise from-torch needs PyTorch: pip install 'gatewise[torch]'",
    "cli_torch_no_file": "{path}: no such file",
    "cli_torch_no_name": ("{path}: defines no {name} (FILE.py:NAME names a module, a function, or a "
                          "zero-argument function returning (fn, example_args))"),
    "cli_torch_returns": "{path}:{name}() must return (fn, example_args)",
    "cli_torch_inputs": ("{path}: {name} needs example inputs: define EXAMPLE_INPUTS = (tensor, …) or "
                         "{{key}: (tensor, …)}, or make {name} return (fn, example_args)"),
    "cli_torch_checked": "# checked against PyTorch autograd: largest relative difference {difference}",
    "cli_torch_url": ("the program's values make a {mb} MB address, more than browsers open (2 MB): use "
                      "smaller example inputs, or --json"),
    # ---- argparse's own words, by its msgids (server/argtext.py) ----------------------------------
    "cli_argparse_usage": "usage: ",
    "cli_argparse_positionals": "positional arguments",
    "cli_argparse_options": "options",
    "cli_argparse_help": "show this help message and exit",
    "cli_argparse_error": "{prog}: error: {message}\n",
    "cli_argparse_required": "the following arguments are required: {args}",
    "cli_argparse_unrecognized": "unrecognized arguments: {args}",
    "cli_argparse_argument": "argument {argument_name}: {message}",
    "cli_argparse_choice": "invalid choice: {value} (choose from {choices})",
    "cli_argparse_value": "invalid {type} value: {value}",
    "cli_argparse_one": "expected one argument",
    "cli_argparse_at_most_one": "expected at most one argument",
    "cli_argparse_at_least_one": "expected at least one argument",
    "cli_argparse_count": "expected {count} arguments",
    "cli_argparse_ambiguous": "ambiguous option: {option} could match {matches}",
    "cli_argparse_not_allowed": "not allowed with argument {other}",
    "cli_argparse_ignored": "ignored explicit argument {value}",
    "cli_argparse_one_of": "one of the arguments {args} is required",
    "cli_argparse_unexpected": "unexpected option string: {option}",
}
MESSAGES.update(TORCH)  # the torch bridge's refusals (messages_torch_en.py)
