"""简体中文 titles and descriptions of the curated examples, keyed by example id (terms as in the
CS231n notes: static/locales/glossary.json)."""

EXAMPLES_ZH = {
    "cs231n": ("CS231n：一个表达式",
               "f = (x + σ(y)) / (σ(x) + (x + y)²)，取 x = 3、y = -4。x 被使用了三次（分支），"
               "所以它的梯度是三份贡献之和（梯度累加 +=）。"),
    "cs231n-staged": ("CS231n：分阶段计算",
                      "同一个函数，按 CS231n 笔记的八个命名阶段写出；每个阶段是一个门单元。"),
    "neuron": ("sigmoid 神经元",
               "CS231n 笔记中的 f = σ(w0·x0 + w1·x1 + w2)；sigmoid 门单元的局部梯度是 (1 - f)·f ≈ 0.2。"),
    "neuron-gate": ("sigmoid 神经元，一个门单元",
                    "同一个神经元，sigmoid 是单个门单元；展开它，就能再次看到基本门单元。"),
    "gates": ("加法、乘法和取最大值门单元",
              "f = 2·(x·y + max(z, w))：加法门单元把梯度相等地分发给它所有的输入；"
              "取最大值门单元对梯度做路由，只传给较大的输入；乘法门单元的局部梯度是相互交换之后的输入值。"),
    "bowl": ("梯度下降的碗",
             "f = x² + y² + 2x + 2，梯度下降笔记从 (1, 4) 出发最小化的损失函数：∂f/∂x = 2x + 2，∂f/∂y = "
             "2y。"),
    "xor": ("XOR 网络（2-4-1，sigmoid，MSE）",
            "NumPy 实现的 XOR 网络：四个样本，一个含四个 sigmoid 的隐藏层，一个 sigmoid 输出和均方误差；"
            "梯度到达每个权重矩阵和偏置。"),
    "softmax": ("两层 softmax 分类器",
                "缩小版的 MNIST 两层网络：三个样本、四个特征，五个隐藏的 sigmoid，三个类别，softmax "
                "与交叉熵，标签为整数。"),
    "matmul": ("矩阵乘积 D = W @ X",
               "CS231n 笔记中向量化的门单元：dW = dD @ X.T，dX = W.T @ dD。D 不是标量，所以它的梯度用全 1 "
               "初始化（即 sum(D) 的梯度）。"),
    "moons": ("两个月牙：训练一个分类器",
              "两个交错半圆上的 100 个点（带种子的生成器），一个 2-8-2 的 tanh 网络和交叉熵。训练它，"
              "看决策边界绕着月牙弯曲。"),
    "spirals": ("三条螺旋：训练一个分类器",
                "CS231n 的螺旋数据（90 个点，三条臂，带种子的生成器）和一个 2-16-3 的 tanh 网络："
                "线性边界分不开它们，隐藏层可以。"),
}


def localized_examples(examples: list[dict], lang: str) -> list[dict]:
    """The examples with their titles and descriptions in lang (English where none is written)."""
    if lang != "zh":
        return examples
    out = []
    for ex in examples:
        title, description = EXAMPLES_ZH.get(ex["id"], (ex["title"], ex["description"]))
        out.append({**ex, "title": title, "description": description})
    return out
