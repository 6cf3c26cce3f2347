"""Programs as people paste them: the seed notes' code verbatim, and micrograd's engine tests.

The three CS231n programs are copied character for character from the seed notes
(/work/shared/seeds/000_*.txt: the sigmoid neuron, the staged circuit with its hand-written
backward pass, the vectorized product), Chinese comments and #(1)…#(8) numbering included. The
micrograd bodies are the micrograd halves of `test_sanity_check` and `test_more_ops` from
karpathy/micrograd's test/test_engine.py (MIT License, Copyright (c) 2020 Andrej Karpathy).
"""

# One string per line of the notes (the trailing blank after "den" on one comment line is theirs).
NEURON = "\n".join([
    "w = [2,-3,-3] # 假设一些随机数据和权重",
    "x = [-1, -2]",
    "",
    "# 前向传播",
    "dot = w[0]*x[0] + w[1]*x[1] + w[2]",
    "f = 1.0 / (1 + math.exp(-dot)) # sigmoid函数",
    "",
    "# 对神经元反向传播",
    "ddot = (1 - f) * f # 点积变量的梯度, 使用sigmoid函数求导",
    "dx = [w[0] * ddot, w[1] * ddot] # 回传到x",
    "dw = [x[0] * ddot, x[1] * ddot, 1.0 * ddot] # 回传到w",
    "# 完成!得到输入的梯度",
])

STAGED = "\n".join([
    "x = 3 # 例子数值",
    "y = -4",
    "",
    "# 前向传播",
    "sigy = 1.0 / (1 + math.exp(-y)) # 分子中的sigmoid         #(1)",
    "num = x + sigy # 分子                                    #(2)",
    "sigx = 1.0 / (1 + math.exp(-x)) # 分母中的sigmoid         #(3)",
    "xpy = x + y                                              #(4)",
    "xpysqr = xpy**2                                          #(5)",
    "den = sigx + xpysqr # 分母                                #(6)",
    "invden = 1.0 / den                                       #(7)",
    "f = num * invden # 搞定!                                 #(8)",
    "",
    "# 回传 f = num * invden",
    "dnum = invden # 分子的梯度                                         #(8)",
    "dinvden = num                                                     #(8)",
    "# 回传 invden = 1.0 / den ",
    "dden = (-1.0 / (den**2)) * dinvden                                #(7)",
    "# 回传 den = sigx + xpysqr",
    "dsigx = (1) * dden                                                #(6)",
    "dxpysqr = (1) * dden                                              #(6)",
    "# 回传 xpysqr = xpy**2",
    "dxpy = (2 * xpy) * dxpysqr                                        #(5)",
    "# 回传 xpy = x + y",
    "dx = (1) * dxpy                                                   #(4)",
    "dy = (1) * dxpy                                                   #(4)",
    "# 回传 sigx = 1.0 / (1 + math.exp(-x))",
    "dx += ((1 - sigx) * sigx) * dsigx # Notice += !! See notes below  #(3)",
    "# 回传 num = x + sigy",
    "dx += (1) * dnum                                                  #(2)",
    "dsigy = (1) * dnum                                                #(2)",
    "# 回传 sigy = 1.0 / (1 + math.exp(-y))",
    "dy += ((1 - sigy) * sigy) * dsigy                                 #(1)",
    "# 完成! 嗷~~",
])

VECTORIZED = "\n".join([
    "# 前向传播",
    "W = np.random.randn(5, 10)",
    "X = np.random.randn(10, 3)",
    "D = W.dot(X)",
    "",
    "# 假设我们得到了D的梯度",
    "dD = np.random.randn(*D.shape) # 和D一样的尺寸",
    "dW = dD.dot(X.T) #.T就是对矩阵进行转置",
    "dX = W.T.dot(dD)",
])

MICROGRAD_SANITY = """\
    x = Value(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
"""

MICROGRAD_MORE_OPS = """\
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
"""
