"""命令行的中文文本：`gatewise` 和 `gatewise from-torch` 的帮助、torch 桥接的用法错误和 argparse 的话。"""

from .messages_torch_zh import MESSAGES as TORCH

MESSAGES = {
    # ---- 命令的帮助 (cli_help_) -------------------------------------------------------------------
    "cli_help_description": "Gatewise：反向传播，一个门单元接一个门单元。",
    "cli_help_lang": "表格、帮助和错误信息的语言：en 或 zh（默认：LC_ALL、LC_MESSAGES 或 LANG，否则 en）",
    "cli_help_serve": "启动网页应用和 REST API 服务",
    "cli_help_env": "环境变量（默认值）：",
    "cli_help_workers": "工作进程数（默认 1）",
    "cli_help_access_log": "记录每个请求（默认关闭：记录要花时间）",
    "cli_help_loop": "事件循环（auto：已安装 uvloop 时用它）",
    "cli_help_backlog": "等待接受的连接数",
    "cli_help_keep_alive": "空闲连接保持的秒数",
    "cli_help_eval": "对程序求值并打印它的节点",
    "cli_help_eval_epilog": "示例：{example}（张量写成 JSON：W='[[1,2],[3,4]]'）",
    "cli_help_program": "程序文本，或用 - 从标准输入读取",
    "cli_help_values": "输入的值：数字或 JSON 列表",
    "cli_help_json": "打印 API 的 JSON，而不是表格",
    "cli_help_expand": "把复合门单元展开成基本门单元",
    "cli_help_fold": "把用户函数（def）的每次调用显示为一行：整块的值和梯度",
    "cli_help_gradcheck": "比较解析梯度和数值梯度",
    # ---- gatewise from-torch (cli_torch_) ---------------------------------------------------------
    "cli_torch_help": "把你的 PyTorch 文件翻译成程序（需要 torch）",
    "cli_torch_epilog": ("FILE.py:NAME 指一个 Module 或函数（输入取自文件中的 EXAMPLE_INPUTS），或一个返回 "
                         "(fn, example_args) 的无参数函数"),
    "cli_torch_target": "文件和其中的名字（默认：example）",
    "cli_torch_json": "把求值后的计算图打印成 API 的 JSON",
    "cli_torch_serve": "启动页面服务，并在页面中打开计算线路图",
    "cli_torch_port": "--serve 使用的端口（默认：一个空闲端口）",
    "cli_torch_no_browser": "与 --serve 一起用：只打印地址",
    "cli_torch_needs_torch": "gatewise from-torch 需要 PyTorch：pip install 'gatewise[torch]'",
    "cli_torch_no_file": "{path}：没有这个文件",
    "cli_torch_no_name": ("{path}：没有定义 {name}（FILE.py:NAME 指一个模块、一个函数，或一个返回 "
                          "(fn, example_args) 的无参数函数）"),
    "cli_torch_returns": "{path}:{name}() 必须返回 (fn, example_args)",
    "cli_torch_inputs": ("{path}：{name} 需要示例输入：定义 EXAMPLE_INPUTS = (张量, …) 或 "
                         "{{key}: (张量, …)}，或者让 {name} 返回 (fn, example_args)"),
    "cli_torch_checked": "# 已与 PyTorch 的 autograd 核对：最大相对差 {difference}",
    "cli_torch_url": ("程序的值会构成 {mb} MB 的地址，超过浏览器能打开的长度（2 MB）：请用更小的示例输入，"
                      "或用 --json"),
    # ---- argparse 自己的话，按它的 msgid (server/argtext.py) --------------------------------------
    "cli_argparse_usage": "用法：",
    "cli_argparse_positionals": "位置参数",
    "cli_argparse_options": "选项",
    "cli_argparse_help": "显示这条帮助信息并退出",
    "cli_argparse_error": "{prog}：错误：{message}\n",
    "cli_argparse_required": "缺少以下参数：{args}",
    "cli_argparse_unrecognized": "无法识别的参数：{args}",
    "cli_argparse_argument": "参数 {argument_name}：{message}",
    "cli_argparse_choice": "无效的选择：{value}（可选：{choices}）",
    "cli_argparse_value": "无效的 {type} 值：{value}",
    "cli_argparse_one": "应有一个参数值",
    "cli_argparse_at_most_one": "最多应有一个参数值",
    "cli_argparse_at_least_one": "至少应有一个参数值",
    "cli_argparse_count": "应有 {count} 个参数值",
    "cli_argparse_ambiguous": "有歧义的选项：{option} 可以匹配 {matches}",
    "cli_argparse_not_allowed": "不能与参数 {other} 同时使用",
    "cli_argparse_ignored": "忽略了显式给出的参数 {value}",
    "cli_argparse_one_of": "以下参数必须给出其中之一：{args}",
    "cli_argparse_unexpected": "意外的选项字符串：{option}",
}
MESSAGES.update(TORCH)  # the torch bridge's refusals (messages_torch_zh.py)
