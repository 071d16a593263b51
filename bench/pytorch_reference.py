"""PyTorch CPU reference for bench/train-throughput.ts.

Builds the network that a plan export (bench/network-plan-json.ts) describes, op by op as
trainer/network/ builds it in tfjs (ReLU -> conv -> BN, no conv biases, separable conv as two
stacked ReLU -> depthwise -> pointwise -> BN layers, TensorFlow SAME padding, average pooling
that leaves padding out of its divisor, factorized reductions, concatenated cell outputs), checks
that its trainable parameter count equals the plan's complexity count, and trains it the way
trainer/train/train-step.ts does (cross-entropy + L2 on kernels, global-norm clipping, momentum
SGD) on random inputs. Prints one JSON line: images/s, threads, params, torch version, steps.

Run: python3 bench/pytorch_reference.py --plan plan.json [--steps 10 --warmup 2 --threads N]
Exit status 4 when torch is not installed, 2 when the network does not match the plan.
"""
import argparse
import json
import math
import os
import sys
import time

NO_TORCH = 4
MISMATCH = 2
PLAN_FORMAT = 'cellsearch.plan-export.v1'
# Keras VarianceScaling: the stddev of a normal truncated at 2 sigma is corrected by this.
TRUNCATION_CORRECTION = 0.8796256610342398

try:
    import torch
    from torch import nn
    import torch.nn.functional as F
except ImportError:
    sys.stderr.write('torch is not installed (pip install torch)\n')
    sys.exit(NO_TORCH)


def same_padding(size, kernel, stride):
    """TensorFlow SAME padding (before, after) along one axis: output ceil(size / stride)."""
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def he_normal(layer, fan_in):
    """initializers.ts heNormal (truncated at 2 sigma); the kernel is marked for L2 decay."""
    std = math.sqrt(2 / fan_in) / TRUNCATION_CORRECTION
    nn.init.trunc_normal_(layer.weight, std=std, a=-2 * std, b=2 * std)
    layer.weight.decayed = True


def conv(cin, cout, kernel, stride, hw, groups=1):
    """A bias-free SAME conv (kernel, stride: (rows, cols)) on an input of hw = (rows, cols).

    hw None means VALID padding.
    """
    if kernel == (1, 1) and stride != (1, 1):
        # oneDNN's strided 1x1 backward-weights on NHWC with fewer input channels than its block
        # (8 on AVX2) writes out of bounds and crashes the process (oneDNN issue 6035).
        return nn.Sequential(Subsample(stride), conv(cin, cout, kernel, (1, 1), None, groups))
    pads = [(0, 0)] * 2 if hw is None else [
        same_padding(n, k, s) for n, k, s in zip(hw, kernel, stride)]
    symmetric = all(before == after for before, after in pads)
    layer = nn.Conv2d(cin, cout, kernel, stride, bias=False, groups=groups,
                      padding=tuple(p[0] for p in pads) if symmetric else 0)
    he_normal(layer, kernel[0] * kernel[1] * cin // groups)
    if symmetric:
        return layer
    (top, bottom), (left, right) = pads
    return nn.Sequential(nn.ZeroPad2d((left, right, top, bottom)), layer)


class Subsample(nn.Module):
    """Rows and columns 0, s, 2s, ...: a strided 1x1 conv is this, then the conv at stride 1."""

    def __init__(self, stride):
        super().__init__()
        self.stride = stride

    def forward(self, x):
        return x[:, :, ::self.stride[0], ::self.stride[1]]


def dilated_conv(cin, cout, kernel, rate, stride):
    """Ours (conv-ops.ts dilatedConv2d): the stride-1 SAME result at rows/cols 0, s, 2s, ..."""
    pad = (kernel - 1) * rate // 2
    layer = nn.Conv2d(cin, cout, kernel, stride, padding=pad, dilation=rate, bias=False)
    he_normal(layer, kernel * kernel * cin)
    return layer


def pool(kind, kernel, stride, hw):
    """SAME pooling. Torch pads symmetrically; TF's one extra cell after is ceil_mode's overhang
    (on an axis padded evenly, (size + 2 pad - kernel) is a multiple of the stride, so ceil_mode
    changes nothing there). Average pooling leaves padding and overhang out of its divisor."""
    pads = [same_padding(n, kernel, stride) for n in hw]
    if any(after - before not in (0, 1) for before, after in pads):
        raise ValueError(f'SAME padding {pads} of a {kernel}x{kernel} pool cannot be expressed')
    padding = tuple(before for before, _ in pads)
    ceil_mode = any(after > before for before, after in pads)
    if kind == 'max_pool':
        return nn.MaxPool2d(kernel, stride, padding, ceil_mode=ceil_mode)
    return nn.AvgPool2d(kernel, stride, padding, ceil_mode=ceil_mode, count_include_pad=False)


def hw_of(shape):
    return shape['height'], shape['width']


class Settings:
    """BN settings of the plan: TF-slim decay d is torch momentum 1 - d."""

    def __init__(self, batch_norm):
        self.momentum = 1 - batch_norm['momentum']
        self.epsilon = batch_norm['epsilon']

    def bn(self, channels):
        return nn.BatchNorm2d(channels, eps=self.epsilon, momentum=self.momentum)


class FactorizedReduction(nn.Module):
    """Path 1: pixels (2r, 2c); path 2: pixels (2r + 1, 2c + 1), zero past the border; concat."""

    def __init__(self, cin, halves, hw):
        super().__init__()
        first, second = halves
        self.path1 = conv(cin, first, (1, 1), (1, 1), hw) if first > 0 else None
        self.path2 = conv(cin, second, (1, 1), (1, 1), hw)
        self.odd = hw[0] % 2 == 1 or hw[1] % 2 == 1

    def forward(self, x):
        shifted = F.pad(x, (0, 1, 0, 1)) if self.odd else x
        y = self.path2(shifted[:, :, 1::2, 1::2])
        if self.path1 is None:
            return y
        return torch.cat([self.path1(x[:, :, ::2, ::2]), y], dim=1)


def adjustment(plan, input_shape, output_shape, s):
    """cell-plan.ts Adjustment: none, [ReLU ->] 1x1 conv -> BN, [ReLU ->] reduction -> BN."""
    kind = plan['kind']
    if kind == 'none':
        return nn.Identity()
    cin, cout = input_shape['channels'], output_shape['channels']
    hw = hw_of(input_shape)
    if kind == 'conv_1x1':
        body = conv(cin, cout, (1, 1), (1, 1), hw)
    elif kind == 'factorized_reduction':
        body = FactorizedReduction(cin, plan['halves'], hw)
    else:
        raise ValueError(f'unknown adjustment {kind!r}')
    layers = [nn.ReLU()] if plan['relu'] else []
    return nn.Sequential(*layers, body, s.bn(cout))


def separable(cin, f, k, stride, hw, s):
    return [nn.ReLU(), conv(cin, cin, (k, k), (stride, stride), hw, groups=cin),
            conv(cin, f, (1, 1), (1, 1), hw), s.bn(f)]


def op_layer(plan, s):
    """op-layer.ts buildOp: one op of a block, switched on its spec's kind."""
    spec, stride = plan['spec'], plan['stride']
    cin, f = plan['input']['channels'], plan['output']['channels']
    hw_in, hw_out = hw_of(plan['input']), hw_of(plan['output'])
    kind = spec['kind']
    if kind == 'sep_conv':
        k = spec['kernel']
        return nn.Sequential(*separable(cin, f, k, stride, hw_in, s),
                             *separable(f, f, k, 1, hw_out, s))
    if kind == 'identity':
        if not plan['projects']:
            return nn.Identity()
        return nn.Sequential(nn.ReLU(), conv(cin, f, (1, 1), (stride, stride), hw_in), s.bn(f))
    if kind in ('avg_pool', 'max_pool'):
        layers = [pool(kind, spec['kernel'], stride, hw_in)]
        if plan['projects']:
            layers += [conv(cin, f, (1, 1), (1, 1), hw_out), s.bn(f)]
        return nn.Sequential(*layers)
    if kind == 'conv':
        k = spec['kernel']
        return nn.Sequential(nn.ReLU(), conv(cin, f, (k, k), (stride, stride), hw_in), s.bn(f))
    if kind == 'factorized_conv':
        k = spec['kernel']
        rows = conv(cin, f, (1, k), (1, stride), hw_in)
        cols = conv(f, f, (k, 1), (stride, 1), (hw_in[0], hw_out[1]))
        return nn.Sequential(nn.ReLU(), rows, cols, s.bn(f))
    if kind == 'dilated_conv':
        body = dilated_conv(cin, f, spec['kernel'], spec['dilation'], stride)
        return nn.Sequential(nn.ReLU(), body, s.bn(f))
    raise ValueError(f'unknown op kind {kind!r}')


def state_shape(cell, state):
    return cell['inputs'][state]['shape'] if state < 2 else cell['blocks'][state - 2]['output']


class Cell(nn.Module):
    """cell-layer.ts: adjust h_i and h_{i-1}, run the blocks, concatenate the output states."""

    def __init__(self, plan, s):
        super().__init__()
        self.inputs = nn.ModuleList(
            adjustment(p['adjustment'], p['input'], p['shape'], s) for p in plan['inputs'])
        self.ops = nn.ModuleList()
        self.wiring = []
        for block in plan['blocks']:
            self.ops.extend([op_layer(block['a'], s), op_layer(block['b'], s)])
            self.wiring.append((block['a']['state'], block['b']['state'], block['combine']))
        self.outputs = nn.ModuleList(
            adjustment(o['adjustment'], state_shape(plan, o['state']), o['shape'], s)
            for o in plan['outputs'])
        self.output_states = [o['state'] for o in plan['outputs']]

    def forward(self, h_i, h_prev):
        states = [self.inputs[0](h_i), self.inputs[1](h_prev)]
        for b, (a, o, combine) in enumerate(self.wiring):
            ya, yb = self.ops[2 * b](states[a]), self.ops[2 * b + 1](states[o])
            states.append(ya + yb if combine == 'add' else torch.cat([ya, yb], dim=1))
        parts = [layer(states[k]) for layer, k in zip(self.outputs, self.output_states)]
        return parts[0] if len(parts) == 1 else torch.cat(parts, dim=1)


class Network(nn.Module):
    """network.ts and heads.ts: stem conv -> BN, cells, ReLU -> global average pool -> dense."""

    def __init__(self, plan):
        super().__init__()
        if plan['auxHead'] is not None:
            raise ValueError('the reference builds no aux head; plan one without it')
        s = Settings(plan['batchNorm'])
        stem = plan['stem']
        k, stride = stem['kernel'], stem['stride']
        cin, f = stem['input']['channels'], stem['filters']
        hw = hw_of(stem['input']) if stem['padding'] == 'same' else None
        self.stem = nn.Sequential(conv(cin, f, (k, k), (stride, stride), hw), s.bn(f))
        self.cells = nn.ModuleList(Cell(c, s) for c in plan['cells'])
        self.sources = [[i['source'] for i in c['inputs']] for c in plan['cells']]
        self.dense = nn.Linear(plan['head']['input']['channels'], plan['head']['classes'])
        limit = math.sqrt(6 / (self.dense.in_features + self.dense.out_features))
        nn.init.uniform_(self.dense.weight, -limit, limit)
        nn.init.zeros_(self.dense.bias)
        self.dense.weight.decayed = True

    def forward(self, x):
        features = {'stem': self.stem(x)}
        last = features['stem']
        for index, (cell, sources) in enumerate(zip(self.cells, self.sources)):
            last = cell(*(features[source] for source in sources))
            features[index] = last
        return self.dense(torch.mean(F.relu(last), dim=(2, 3)))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--plan', required=True, help='plan export JSON (network-plan-json.ts)')
    parser.add_argument('--steps', type=int, default=10, help='timed steps (default 10)')
    parser.add_argument('--warmup', type=int, default=2, help='untimed steps first (default 2)')
    parser.add_argument('--threads', type=int, default=os.cpu_count(),
                        help='torch intra-op threads (default: every core)')
    parser.add_argument('--seed', type=int, default=1, help='seed of weights and inputs')
    return parser.parse_args()


def main():
    args = parse_args()
    with open(args.plan, encoding='utf-8') as f:
        plan = json.load(f)
    if plan.get('format') != PLAN_FORMAT:
        raise SystemExit(f'{args.plan}: format {plan.get("format")!r}; expected {PLAN_FORMAT!r}')
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    model = Network(plan).to(memory_format=torch.channels_last)
    params = sum(p.numel() for p in model.parameters() if p.requires_grad)
    expected = plan['complexity']['params']
    if params != expected:
        sys.stderr.write(f'{plan["name"]}: the PyTorch network has {params} trainable '
                         f'parameters; the plan has {expected}: not the same network\n')
        sys.exit(MISMATCH)
    rate = time_training(model, plan, args.warmup, args.steps)
    print(json.dumps({'imagesPerSecond': rate, 'threads': args.threads, 'params': params,
                      'torch': torch.__version__, 'steps': args.steps}))


def time_training(model, plan, warmup, steps):
    """Images/s of `steps` training steps after `warmup` untimed ones, on one random batch."""
    training = plan['training']
    batch = training['batchSize']
    size = plan['stem']['input']
    images = torch.randn(batch, size['channels'], size['height'], size['width'])
    images = images.contiguous(memory_format=torch.channels_last)
    labels = torch.arange(batch) % plan['head']['classes']
    trainable = [p for p in model.parameters() if p.requires_grad]
    decayed = [p for p in trainable if getattr(p, 'decayed', False)]
    optimizer = torch.optim.SGD(trainable, lr=training['learningRate'],
                                momentum=training['momentum'])
    model.train()

    def step():
        """One train-step.ts step: loss + L2, gradients, clipping, update; loss and hits read."""
        optimizer.zero_grad(set_to_none=True)
        logits = model(images)
        loss = F.cross_entropy(logits, labels, label_smoothing=training['labelSmoothing'])
        if training['weightDecay'] > 0:
            l2 = torch.stack([torch.sum(p * p) for p in decayed]).sum()
            loss = loss + l2 * (training['weightDecay'] / 2)
        loss.backward()
        if training['gradClipNorm'] > 0:
            nn.utils.clip_grad_norm_(trainable, training['gradClipNorm'])
        optimizer.step()
        return loss.item(), int((logits.argmax(1) == labels).sum())

    for _ in range(warmup):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return steps * batch / (time.perf_counter() - start)


if __name__ == '__main__':
    main()
