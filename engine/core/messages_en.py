"""English messages of the engine and the server, keyed by code ({slots} filled from the parameters)."""

from .messages_cli_en import MESSAGES as CLI

MESSAGES = {
    # ---- fragments other messages take as parameters --------------------------------------------
    "shape_scalar": "scalar",
    "token_end": "the end of the program",
    "token_line_end": "the end of the line",
    "token": "'{text}'",
    # ---- budgets and time -----------------------------------------------------------------------
    "time_budget": "the program took longer than the time budget allows",
    "source_chars": "the program is {chars} characters long; the limit is {limit}",
    "statements": "more than {limit} statements",
    "depth": "the expression is nested more than {limit} levels deep",
    # ---- syntax ---------------------------------------------------------------------------------
    "backslash": "a backslash must end the line",
    "strings": ("strings are not part of the language: values are numbers and nested lists such as [[1, 2], "
                "[3, 4]], and the circuit shows every value (no print needed)"),
    "bad_operator": "'{char}' is not part of the language (see the language reference)",
    "bad_character": "unexpected character {char}",
    "expected_value": "expected a value, found {found}",
    "expected_operator": "expected an operator, found {found}",
    "keyword_arguments": "keyword arguments (such as axis=0) are not part of the language",
    "assign_position": "'{symbol}' may only follow a name at the start of a statement",
    "attribute_name": "expected a name after '.': an attribute such as .T or a method such as .exp()",
    "comma_outside": ("',' outside brackets: tuples and tuple assignment (a, b = …) are not part of the "
                      "language; write one name = expression per statement"),
    "comma_tuple": "unexpected ','; a tuple such as (2, 3) is only a shape argument, as in np.zeros((2, 3))",
    "unmatched": "unmatched '{bracket}'",
    "mismatched": "'{bracket}' does not match '{opener}' at line {opened_line}, column {opened_column}",
    "index_empty": "an index is needed inside [ ]",
    "unclosed": "'{opener}' was never closed",
    "keyword_loop": ("{word} loops are not part of the language: write the steps out, or let tensors do the "
                     "loop (sum(x), mean(x), W @ x work on whole arrays)"),
    "keyword_class": ("classes are not part of the language: write the forward pass as statements (name = "
                      "expression), and Gatewise builds its circuit and backward pass"),
    "keyword_def": ("def starts a line of its own: def name(params): return expression (see the language "
                    "reference)"),
    "keyword_branch": ("{word} is not part of the language: max(a, b), min(a, b), relu(x) and abs(x) choose "
                       "without it"),
    "keyword_return": ("return belongs in a function body (def name(params): …); at the top level it is not "
                       "needed: the last statement's value is the output"),
    "keyword_statements": "{word} is not part of the language: write the computation as statements",
    "keyword_try": "try is not part of the language: errors are reported with their line and column",
    "keyword_print": "print is not needed: the circuit shows every value and gradient",
    "keyword_assert": "assert is not part of the language: the backward lines you write (dx = …) are checked",
    "keyword_del": "del is not part of the language: rebinding a name (x = …) is enough",
    "keyword_global": "global is not part of the language: every name is visible to the statements after it",
    "import_refused": ("'import {words}' is not accepted: only 'import numpy as np' and 'import math' are "
                       "(and they are ignored); exp, log, sqrt, tanh, sigmoid, relu, dot and the np.* and "
                       "math.* spellings are built in"),
    "from_import": ("'from … import' is not accepted: write 'import numpy as np' or 'import math' "
                    "(ignored), then np.exp(x) or math.exp(x), or simply exp(x)"),
    # ---- values and shapes ----------------------------------------------------------------------
    "value_type": "the value of '{name}' must be a number or a nested list of numbers",
    "value_depth": "the value of '{name}' is nested more than {limit} lists deep",
    "value_overflow": "the value of '{name}' is too large for a 64-bit float",
    "value_ragged": ("the value of '{name}' must be a number or a rectangular nested list of numbers (no "
                     "ragged rows)"),
    "broadcast": "shapes {shapes} cannot be broadcast together",
    "matmul_rank": "@ needs vectors or matrices, got {a} and {b} (use * to scale by a scalar)",
    "matmul_inner": "@ cannot multiply shapes {a} and {b}: {columns} columns against {rows} rows",
    "axis_scalar": "{op} needs a vector or a matrix, got a scalar",
    "axis_empty": "{op} needs at least one element along the last axis, got {shape}",
    "row_scalar": "a row reduction needs a vector or a matrix, got a scalar",
    "row_empty": "a row reduction needs at least one element per row, got {shape}",
    "scores_rank": "class scores must be a vector (C,) or a matrix (N, C), got {shape}",
    "scores_empty": "class scores need at least one class, got {shape}",
    "labels_shape": "labels of shape {labels} do not match scores of shape {scores}: expected {expected}",
    "labels_whole": "labels must be whole numbers (class indices)",
    "label_range": "label {label} is out of range for {classes} classes (0 to {last})",
    "stack_shapes": "list elements must have equal shapes, got {a} and {b}",
    "index_count": "too many indices ({count}) for shape {shape}",
    "index_range": "index {index} is out of range for axis {axis} of size {size}",
}
MESSAGES.update({
    # ---- names, calls and the forms of Python and NumPy -----------------------------------------
    "module_value": "{what} is a module: call one of its functions, such as {what}.exp(x)",
    "shape_value": ("a shape or tuple is not a value: use it as np.zeros(D.shape), np.zeros((2, 3)) or "
                    "np.random.randn(*D.shape)"),
    "statement_value": "{what} has no value",
    "unknown_function": "unknown function '{name}' (functions: {functions})",
    "unknown_function_hint": ("unknown function '{name}'; did you mean {suggestions}? (functions: "
                              "{functions})"),
    "unsupported_function": ("{name} is not supported (the {module}. functions Gatewise takes: "
                             "{module_functions}; and {functions})"),
    "unsupported_function_hint": ("{name} is not supported; did you mean {suggestions}? (the {module}. "
                                  "functions Gatewise takes: {module_functions}; and {functions})"),
    "shape_argument": "{function} takes a shape: whole numbers such as {function}(2, 3), or D.shape",
    "shape_whole": "the shape of {function} must be whole numbers >= 0, got {dims}",
    "grad_attribute": ("'.{attribute}': Gatewise computes every value and gradient and shows them on the "
                       "circuit (and checks the dx = … lines you write)"),
    "unknown_attribute": ("'.{attribute}' is not an attribute or method Gatewise takes; it takes {methods} "
                          "and .shape"),
    "unknown_method": "'.{method}()' is not a method Gatewise takes; it takes {methods} and .backward()",
    "one_argument": "{function} takes 1 argument, got {count}",
    "one_shape_argument": "{function} takes 1 argument, a shape such as (2, 3) (NumPy's order), got {count}",
    "seed": "np.random.seed takes one whole number from 0 to 2**32 - 1",
    "function_name": "'{name}' is a function: call it as {name}(...)",
    "backward_name": ("'{name}' belongs to your hand-written backward pass (line {backward_line}): forward "
                      "statements cannot use it"),
    "backward_line_error": "'{name}' is unknown here: its line {backward_line} has an error",
    "unknown_name": "'{name}' has no value: assign it ({name} = 1) or pass it in values",
    "star_shape": "'*' unpacks a shape only, as in np.random.randn(*D.shape)",
    "arity_one": "{function} takes 1 argument ({params}), got {count}",
    "arity": "{function} takes {expected} arguments ({params}), got {count}",
    "index_constant": "indices must be integer constants",
    "ragged_list": "ragged list: elements of shapes {a} and {b}",
    "empty_list": "an empty list has no value",
    "augment_unassigned": "'{name}' has no value before '{name} {symbol}= …': assign it first",
    "used_before_assigned": "'{name}' is used before it is assigned",
    "assigned_twice": "input '{name}' is assigned twice",
    "empty_program": "the program is empty: write an expression such as x * y",
    "extra_value": "values were given for '{names}', which is not an input of the program",
    "extra_values": "values were given for '{names}', which are not inputs of the program",
    "extra_values_more": ("values were given for '{names}' and {more} more, which are not inputs of the "
                          "program"),
    "expand_unknown": ("expand names '{names}', not a composite gate of this program (its composites are "
                       "{composites})"),
    "expand_none": "expand names '{names}', not a composite gate of this program (it has none)",
    "expand_type": "expand must be true, false or a list of node ids",
    "tensor_elements": "a tensor of {elements} elements exceeds the limit of {limit}",
    "tensor_axes": "a tensor of {axes} axes exceeds the limit of {limit}",
    "total_elements": "the program's tensors exceed {limit} elements in all",
    "nodes": "the program has more than {limit} nodes",
    "matmul_work": "matrix products need more than {limit} multiply-adds",
    "source_type": "the program must be text",
    "free_type": "free must be a finite number (the value of names never assigned) or null",
    "values_type": "values must map input names to numbers or nested lists",
})
MESSAGES.update({
    # ---- op records and exports -----------------------------------------------------------------
    "formula_function": "formula of {op}: unknown function '{name}'",
    "formula_name": "formula: unknown name '{name}'",
    "formula_one": "formula: one expression only",
    "formula_assign": "formula: no assignments",
    "formula_list": "formula: no lists",
    "export_code": "the code export cannot write op '{op}' (its record has no code)",
    "export_torch": "the PyTorch export cannot write op '{op}' (its record has no torch spelling)",
    "export_params": "params names '{names}', not an input of the program",
    "export_no_gate": "the program has no gate to write as PyTorch",
    "tikz_nodes": "the circuit has {nodes} nodes; a TikZ picture is made for at most {limit}",
    # ---- training -------------------------------------------------------------------------------
    "batch_rows": "mini-batches need every data input ({names}) to have the same number of rows",
    "batch_shape": ("mini-batches do not fit this program ({cause}); leave batch_size out to use every row "
                    "each step"),
    "train_unknown": "cannot train '{names}': not an input of the program (inputs: {inputs})",
    "train_nothing": "nothing to train: every input is data; choose the parameters",
    "learning_rate": "the learning rate must be a positive number",
    "train_no_step": "not a single training step fitted in the time budget",
    "state_shape": "state: slot '{slot}' of '{name}' has shape {shape}, the parameter has {expected}",
    "state_ragged": "state: a slot is not a rectangular list of numbers",
    "optimizer": "unknown optimizer '{name}' (choose {choices})",
    "init_dims": "init of '{name}': every dimension must be at least 1",
    "init_dist": "init of '{name}': unknown dist '{dist}' (choose {choices})",
    "init_elements": "init of '{name}': {elements} elements exceeds the limit of {limit}",
    "init_total": "init: the random starts exceed {limit} elements in all",
    "landscape_range": "a landscape range must be two finite numbers, low < high",
    "landscape_inputs": "the landscape needs two scalar inputs; '{name}' is not one",
    "boundary_loss": "the decision boundary needs a program ending in cross_entropy(z, y) or mse(p, Y)",
    "boundary_range": "a grid range must be two finite numbers, the first below the second",
    "boundary_features": "'{name}' is not an input of the program",
    "boundary_columns": "the decision boundary needs {name} with two feature columns (its shape is {shape})",
    "boundary_one_column": "a one-column prediction needs mse(p, Y) with p in [0, 1]",
    "waited_budget": "the time budget ran out while the request waited",
    # ---- data sets (CSV) ------------------------------------------------------------------------
    "csv_empty": "the CSV is empty: paste a header line and one row per sample",
    "csv_row": "row {row}: {reason}",
    "csv_duplicate_column": "row {row}, column {col}: the column name '{name}' appears twice",
    "csv_no_label_column": "the label column {column_name} is not in the CSV; its columns are: {columns}",
    "csv_no_feature_column": "the feature column {column_name} is not in the CSV; its columns are: {columns}",
    "csv_empty_feature": "row {row}, column {col} ('{name}') is empty: every feature needs a number",
    "csv_not_number": "row {row}, column {col} ('{name}'): '{cell}' is not a number",
    "csv_not_finite": "row {row}, column {col} ('{name}'): '{cell}' is not a finite number",
    "csv_empty_label": "row {row}, column {col} ('{name}') is empty: every sample needs a label",
    "csv_class_range": "row {row}, column {col} ('{name}'): class {label} is not in 0…{last}",
    "csv_classes": ("column {col} ('{name}') has {count} different labels; at most {limit} classes are "
                    "allowed"),
    "csv_cells_about": "the CSV has about {cells} cells; the limit is {limit} (the element budget)",
    "csv_chars": "the CSV has {chars} characters; the limit is {limit}",
    "csv_no_rows": "the CSV has a header but no rows of data",
    "csv_label_feature": "the label column '{name}' cannot also be a feature",
    "csv_no_features": "choose at least one feature column besides the label",
    "csv_cells": "the CSV has {cells} cells; the limit is {limit} (the element budget)",
    "csv_fields": "row {row} has {fields} fields but the header has {header}",
})
MESSAGES.update({
    # ---- the server -----------------------------------------------------------------------------
    "json_invalid": "The body is not valid JSON: {error}",
    "json_content_type": "The body must be JSON sent with Content-Type: application/json.",
    "validation": "{field}: {reason}",
    "not_found": "Not Found",
    "method_not_allowed": "Method Not Allowed",
    "http_error": "{detail}",
    "internal": "Internal error.",
    "recursion": "The program is nested too deeply to evaluate.",
    "memory": "The program needs more memory than the server allows.",
    "engine_failed": "The engine failed on this program (an internal error, logged).",
    "request_timeout": "The request ran past its time budget (GATEWISE_TIME_BUDGET) and was stopped.",
    "request_timeout_budget": ("The request ran past its time budget of {seconds} s (GATEWISE_TIME_BUDGET) "
                               "and was stopped."),
    "overloaded": "The server is busy ({jobs} jobs running, {queue} waiting); retry in {retry} s.",
    "window_too_large": "a window holds at most {limit} entries",
    "window_range": "rows and cols are start:stop ranges (stop not below start)",
    "no_such_node": "the graph has no node '{node}'",
    "too_large": "The request body is over the limit of {limit} bytes (GATEWISE_MAX_BODY_BYTES).",
    "cors_refused": "{reason} (CORS preflight refused).",
})
# pydantic's messages for the request fields it checks (the server uses one only where it renders
# pydantic's own text word for word).
MESSAGES.update({
    "pydantic_missing": "Field required",
    "pydantic_extra_forbidden": "Extra inputs are not permitted",
    "pydantic_float_type": "Input should be a valid number",
    "pydantic_float_parsing": "Input should be a valid number, unable to parse string as a number",
    "pydantic_finite_number": "Input should be a finite number",
    "pydantic_int_type": "Input should be a valid integer",
    "pydantic_int_parsing": "Input should be a valid integer, unable to parse string as an integer",
    "pydantic_int_from_float": "Input should be a valid integer, got a number with a fractional part",
    "pydantic_bool_type": "Input should be a valid boolean",
    "pydantic_bool_parsing": "Input should be a valid boolean, unable to interpret input",
    "pydantic_string_type": "Input should be a valid string",
    "pydantic_list_type": "Input should be a valid list",
    "pydantic_dict_type": "Input should be a valid dictionary",
    "pydantic_greater_than_equal": "Input should be greater than or equal to {ge}",
    "pydantic_less_than_equal": "Input should be less than or equal to {le}",
    "pydantic_greater_than": "Input should be greater than {gt}",
    "pydantic_less_than": "Input should be less than {lt}",
    "pydantic_literal_error": "Input should be {expected}",
    "pydantic_too_long": ("{field_type} should have at most {max_length} items after validation, not "
                          "{actual_length}"),
    "pydantic_too_short": ("{field_type} should have at least {min_length} items after validation, not "
                           "{actual_length}"),
    "pydantic_string_too_long": "String should have at most {max_length} characters",
    "pydantic_string_too_short": "String should have at least {min_length} characters",
})
MESSAGES.update({
    # ---- the command line (`gatewise eval`): table headers, words, argument errors -----------------
    "cli_step": "step", "cli_id": "id", "cli_op": "op", "cli_name": "name", "cli_shape": "shape",
    "cli_value": "value", "cli_grad": "grad", "cli_input": "input", "cli_checked": "checked",
    "cli_rel_error": "rel_error", "cli_output": "output", "cli_note": "note: {text}",
    "cli_function": "function {name}({params}), line {line}: {count} call(s) ({calls})",
    "cli_gradcheck_ok": "gradcheck ok: max relative error {error}",
    "cli_gradcheck_mismatch": "gradcheck MISMATCH: max relative error {error}",
    "note_given": ("The gradient of {name} is your {target} (line {line}), so the gradients shown are "
                       "those of sum({name} * {target})."),
    "note_ones": ("The output has shape {shape}, so backpropagation starts from a gradient of ones: the "
                      "gradients shown are those of sum(output)."),
    "cli_error": "error: {message}",
    "cli_error_kind": "error ({kind}): {message}",
    "cli_pair": "{pair}: expected NAME=VALUE, e.g. x=3 or W='[[1,2],[3,4]]'",
    "cli_value_json": "{pair}: the value must be a number or a JSON list such as [[1,2],[3,4]]",
    "cli_value_type": "{pair}: the value must be a number or a JSON list",
    "cli_language": "unknown language {lang} (choose en or zh)",
    "kind_syntax": "syntax", "kind_name": "name", "kind_arity": "arity", "kind_shape": "shape",
    "kind_value": "value", "kind_budget": "budget", "kind_timeout": "timeout",
})
MESSAGES.update({
    # ---- user-defined functions (def) -----------------------------------------------------------
    "def_nested": ("a def inside a function is not supported: define every function at the top level (a "
                   "function may call any other)"),
    "def_name": "expected the function's name after def, found {found}",
    "def_paren": "expected '(' after def {name}",
    "def_return_annotation": "return annotations (-> …) are not part of the language",
    "def_colon": "expected ':' after def {name}(…), found {found}",
    "def_star_parameter": ("'{symbol}' in a parameter list (*args, **kwargs, / and * markers) is not part of "
                           "the language: list the parameters by name"),
    "def_parameter_name": "expected a parameter name, found {found}",
    "def_duplicate_parameter": "duplicate parameter '{name}' in the function definition",
    "def_default": ("default values (as in {name}=…) are not part of the language: every call passes every "
                    "argument"),
    "def_annotation": "parameter annotations (as in x: float) are not part of the language",
    "def_parameter_list": "expected ',' or ')' in the parameter list, found {found}",
    "def_one_line_indent": "unexpected indent: a one-line def ends at the end of its line",
    "def_block": "expected an indented block after 'def {name}(…):' on line {def_line}",
    "indent_unexpected": "unexpected indent",
    "indent_tabs": "inconsistent use of tabs and spaces in indentation",
    "indent_unmatched": "unindent does not match any outer indentation level",
    "def_after_return": ("this statement comes after the return of {name} (line {return_line}), so it would "
                         "never run"),
    "def_return_value": "return needs a value: {name} must return what it computes",
    "def_no_return": "{name} has no return: end its body with return <expression> (the function's value)",
    "def_augment_unassigned": ("'{name}' has no value in {function} before '{name} {symbol}= …': assign it "
                               "first"),
    "def_recursion": ("{function} calls itself: recursion is not part of the language (each call is "
                      "unrolled into gates, so it would never end)"),
    "def_recursion_call": "{function} calls itself: recursion is not part of the language",
    "def_mutual_recursion": ("{path}: these functions call each other, which is recursion; it is not part "
                             "of the language (each call is unrolled into gates)"),
    "def_scope": ("'{name}' is not defined in {function}: a function sees only its parameters ({params}) "
                  "and the names it assigns, not the program's; pass {name} as a parameter"),
    "def_scope_none": ("'{name}' is not defined in {function}: a function sees only its parameters (none) "
                       "and the names it assigns, not the program's; pass {name} as a parameter"),
    "fold_unknown": "fold names '{names}', not a call of a function defined in this program",
    "def_builtin": "def {name}: '{name}' is built in; give your function another name",
    "def_twice": ("{name} is defined twice (lines {first_line} and {second_line}): give each function its "
                  "own name"),
    "def_value_name": ("def {name}: '{name}' is already a value of the program; give the function another "
                       "name"),
    "def_parameter_builtin": ("parameter '{param}' of {function} has the name of a function or constant; "
                              "rename the parameter"),
    "def_parameter_input": ("parameter '{param}' of {function} has the name of the program's input "
                            "'{param}': rename the parameter (inside {function}, {param} would not be that "
                            "input; a function sees only its parameters)"),
    "def_later": ("{function} is called before its definition (line {def_line}): define a function before "
                  "the statements that call it"),
    "in_call": "{cause} (in {function}, called at line {call_line})",
    "def_assigned": "'{name}' is a function (line {def_line}): it cannot be assigned; choose another name",
    "call_depth": "calls are nested more than {limit} deep (a function calling a function calling …)",
    "call_nodes": "the program has more than {limit} nodes (this call of {function} adds {adds} to {has})",
    "call_statements": "more than {limit} statements, counting each call's body ({function} runs {runs})",
    "call_elements": ("the program's tensors exceed {limit} elements in all (this call of {function} adds "
                      "{adds})"),
    "call_work": "matrix products need more than {limit} multiply-adds (this call of {function} adds {adds})",
})
MESSAGES.update({
    # ---- verdicts on a hand-written backward pass (dx = …), and their parts ------------------------
    "stmt": "{target} (line {stmt_line})",
    "stmt_output": "the output (line {stmt_line})",
    "another_branch": "another branch",
    "value_array": "an array of shape {shape}",
    "matmul_hint": " For {out} = {forward}: {grads}.",
    "grade_given": ("{target} is given: the backward pass starts from it (the gradients are those of "
                    "sum({name} * {target}))"),
    "grade_given_backward": "{target} is where the backward pass starts: it can use forward values only",
    "grade_given_shape": "{target} has shape {shape}, but {name} has shape {expected}",
    "grade_shape_error": "{cause}.{hint}",
    "grade_augment_first": "'{target} {how} …' comes before any '{target} = …'",
    "grade_unknown_line": "'{name}' is unknown here: its line {error_line} has an error",
    "grade_unknown": "'{name}' is unknown here: its line has an error",
    "grade_right_zero": "right: {name} does not reach the output, so {target} is 0",
    "grade_right": "right: the gradient through {via}",
    "grade_incomplete": ("{target} is incomplete: {name} also feeds {where}; add that branch with {target} "
                         "+= … (the branches of a fan-out add up)"),
    "mistake_wrong": "{target} should be {expected} here, not {user}",
    "mistake_overwrite": ("'=' overwrites what {target} already holds from {earlier}: {name} fans out, and "
                          "the gradients of its branches add up, so write {target} += …"),
    "mistake_propagated": ("this line is right given the true {ref}, but {ref} is wrong (line {ref_line}): "
                           "{target} should be {expected}"),
    "mistake_transposed_shape": ("{target} is the transpose of the gradient: a product's factors are "
                                 "transposed or swapped.{hint}"),
    "mistake_shape": "{target} has shape {shape}, but {name} has shape {expected}.{hint}",
    "mistake_transposed": "{target} is the transpose of the gradient.{hint}",
    "mistake_sign": "{target} has the wrong sign: it should be {expected}",
    "mistake_upstream": ("the upstream factor d{target} is missing: the chain rule multiplies the local "
                         "gradient by the gradient arriving from {target} (write … * d{target})"),
})
MESSAGES.update({
    # ---- the gradient diagnostics (POST /api/diagnostics): each flag's title (_title) and message --
    "node_gate": "{op} gate {id}",
    "dead_relu_all_title": "Dead ReLU: {who}",
    "dead_relu_all": ("Every input of {who} is ≤ 0, so its local gradient (x > 0) is 0 everywhere: no "
                      "gradient flows back through it, and nothing before it can learn through this path."),
    "dead_relu_units_title": "Dead units in ReLU {who}",
    "dead_relu_units": ("{count} of {total} units of {who} are ≤ 0 for every sample (columns {columns}): "
                        "those units pass no gradient back."),
    "saturated_all_title": "Saturated {op}: {who}",
    "saturated_all": ("{who} outputs values next to its limits, so its local gradient {formula} is under "
                      "{threshold} (at most {local}): almost no gradient passes back."),
    "saturated_units_title": "Saturated units in {op} {who}",
    "saturated_units": ("{count} of {total} units of {who} are saturated for every sample (columns "
                        "{columns}): their local gradient {formula} is under {threshold}."),
    "saturated_mostly_title": "Mostly saturated {op}: {who}",
    "saturated_mostly": ("{share} of the elements of {who} are saturated: their local gradient {formula} is "
                         "under {threshold}, so most of the gradient stops here."),
    "vanishing_title": "Vanishing gradient into {who}",
    "vanishing": ("The gradient reaching {who} is at most {size} in size, far below the output's 1: along "
                  "its strongest path the gate that shrinks it most is {worst}."),
    "exploding_title": "Exploding gradient into {who}",
    "exploding": ("The gradient reaching {who} is at most {size} in size, far above the output's 1: along "
                  "its strongest path the gate that grows it most is {worst}."),
    "no_influence_path_title": "{who} has no influence",
    "no_influence_path": ("{who} does not reach the output through any differentiable path: the output does "
                          "not depend on it, so its gradient does not exist."),
    "no_influence_zero_title": "{who} has no influence here",
    "no_influence_zero": ("The gradient of {who} is exactly 0 at these values: nudging it does not change "
                          "the output (every path back to it is blocked, e.g. by a dead ReLU or a "
                          "multiplication by 0)."),
    "top_many_title": "Largest contributions into {who}",
    "top_many": ("Of the {uses} uses of {who}: the largest contribution comes from {gate} ({share} of the "
                 "summed sizes)."),
    "top_one_title": "Largest contributions into {who}",
    "top_one": "{who} has one use: the largest contribution comes from {gate} ({share} of the summed sizes).",
})
MESSAGES.update(CLI)  # the command line's texts (messages_cli_en.py)
