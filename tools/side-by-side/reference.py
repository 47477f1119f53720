#!/usr/bin/env python3
"""PyTorch reference for the side-by-side benchmark.

The same operations as the SDK's, at the same sizes and thread count, written the way a PyTorch user would write
them: ProGAN in the authors' layout (layerN: pixel norm -> nearest 2x upsample on odd layers from layer3 ->
conv without bias -> x * wscale + b -> LeakyReLU(0.2); output_RxR: pixel norm -> 1x1 conv -> wscale, no clamp),
split after layer4, perturbation points = the last layer of every block from 32x32 up, delta applied as h * (1 + delta).
Weights are random (timing does not depend on what they learned) and frozen (requires_grad False), as in the SDK.

Rows (per size S in --sizes):
  g_forward      G(z), batch 1, no grad
  gf_forward     G_F(r), no grad
  free_step      one free-delta adaptation step: zero_grad, G_F(r) with the hook, L1 on kept pixels + 0.1 * sum mean(delta^2),
                 backward, Adam (lr 0.01, betas 0.9/0.99), loss.item()
  r_step         the same with the perturbation network R (fixed noise -> stages -> zero-initialised delta heads)
  refine_step    one pixel-only inversion refinement step: additive residuals on layer1..layer3, G_F(G_H(z; d)),
                 L1 + 1 * sum mean(d^2), backward, Adam (lr 0.01), loss.item()
  refine_feature_step
                 the same plus the feature loss 1 * mean|phi(x_hat) - phi(x)| (phi(x) computed once), phi = the SDK's
                 ResNet18FeatureLoss: ResNet-18 to the output of stage 2 (layer2), the image at its own size, fed as
                 BGR on the 0-255 scale minus the network's mean image; weights from --resnet18 (the SDK's pretrained
                 ones, which the side-by-side runner exports) or, without it, seeded random ones
  preview_free   preview render: G_F(r) with delta scaled by (1 - avgpool(mask)) at each point, no grad
  preview_r      the same with R (R's forward included)
  fit_free       a full fit of --fit-steps steps with free delta (keep mask, optimiser, steps, final kept-pixel PSNR)
  fit_r          the same with R

Prints one JSON object: {"meta": {...}, "rows": {"<row>@<S>": [ms per measured iteration, ...]}}. With the feature-loss
row, meta.phi_check holds phi's distance between two fixed patterns per size, as the SDK's worker computes it.
Run with Debian's python3-torch: /usr/bin/python3 tools/side-by-side/reference.py --threads 2
"""

import argparse
import json
import math
import os
import platform
import sys
import time

import torch
import torch.nn.functional as F

ARCHITECTURES = {
    64: (256, [256, 256, 128, 64, 32]),  # the benchmarks' "small64" (the embedded model's layout)
    256: (512, [512, 512, 512, 256, 128, 64, 32]),  # the authors' LSUN 256x256 layout ("lsun256")
}
SPLIT = 4  # layer4 (8x8), as the authors
LEAKY = 0.2


def pixel_norm(x):
    return x / (x.square().mean(dim=1, keepdim=True) + 1e-8).sqrt()


class ProGan:
    """The authors' proggan.py generator, as plain tensors (frozen weights)."""

    def __init__(self, latent, channels, seed):
        g = torch.Generator().manual_seed(seed)
        self.latent = latent
        self.channels = channels
        self.layer_count = 2 * len(channels)
        self.resolution = 4 << (len(channels) - 1)
        self.layers = []
        for i in range(1, self.layer_count + 1):
            cin = latent if i == 1 else channels[(i - 2) // 2]
            cout = channels[(i - 1) // 2]
            k = 4 if i == 1 else 3
            weight = torch.randn(cout, cin, k, k, generator=g)
            bias = torch.zeros(cout)
            scale = math.sqrt(2) / k / math.sqrt(cin)
            self.layers.append(dict(name=f"layer{i}", weight=weight, bias=bias.view(1, -1, 1, 1), scale=scale,
                                    padding=3 if i == 1 else 1, upsample=i >= 3 and i % 2 == 1, side=4 << ((i - 1) // 2),
                                    channels=cout))
        cin = channels[-1]
        self.output = dict(weight=torch.randn(3, cin, 1, 1, generator=g), bias=torch.zeros(1, 3, 1, 1),
                           scale=1.0 / math.sqrt(cin))
        minimum = min(32, self.resolution)
        self.points = [f"layer{i}" for i in range(SPLIT + 1, self.layer_count + 1)
                       if i % 2 == 0 and (4 << ((i - 1) // 2)) >= minimum]

    def shape_of(self, name):
        layer = self.layers[int(name[5:]) - 1]
        return (1, layer["channels"], layer["side"], layer["side"])

    def _block(self, layer, x):
        x = pixel_norm(x)
        if layer["upsample"]:
            x = F.interpolate(x, scale_factor=2.0, mode="nearest")
        x = F.conv2d(x, layer["weight"], padding=layer["padding"]) * layer["scale"] + layer["bias"]
        return F.leaky_relu(x, LEAKY)

    def early(self, z, hook=None):
        x = z.view(z.shape[0], z.shape[1], 1, 1)
        for layer in self.layers[:SPLIT]:
            x = self._block(layer, x)
            if hook is not None:
                x = hook(layer["name"], x)
        return x

    def late(self, r, hook=None):
        x = r
        for layer in self.layers[SPLIT:]:
            x = self._block(layer, x)
            if hook is not None:
                x = hook(layer["name"], x)
        o = self.output
        return F.conv2d(pixel_norm(x), o["weight"]) * o["scale"] + o["bias"]

    def generate(self, z):
        return self.late(self.early(z))


class FreePerturbation(torch.nn.Module):
    def __init__(self, generator):
        super().__init__()
        self.names = list(generator.points)
        self.deltas = torch.nn.ParameterList([torch.nn.Parameter(torch.zeros(generator.shape_of(n))) for n in self.names])

    def compute(self):
        return dict(zip(self.names, self.deltas))


class PerturbationNetwork(torch.nn.Module):
    """R as the SDK's PerturbationNetwork: fixed noise at the finest point -> one stage per point (finest first):
    conv3x3 (stride = resolution ratio) -> LeakyReLU -> conv3x3 -> LeakyReLU, and a zero-initialised conv3x3 head on the
    features less their spatial mean; every conv with an equalised learning rate (unit weights times the He constant).
    No stage runs finer than 64x64: a finer point's stage runs at 64x64, at least 64 wide, and its head emits f*f times
    the point's channels, pixel-shuffled into delta (the noise is pixel-unshuffled the same way)."""

    MAX_STAGE_RESOLUTION = 64
    MIN_FOLDED_WIDTH = 64

    def __init__(self, generator, seed=0, noise_channels=32):
        super().__init__()
        g = torch.Generator().manual_seed(seed)
        points = sorted(generator.points, key=lambda n: (-generator.shape_of(n)[2], n))
        self.names = points
        first = generator.shape_of(points[0])

        def fold_of(h):
            fold = 1
            while h // fold > self.MAX_STAGE_RESOLUTION and h % (fold * 2) == 0:
                fold *= 2
            return fold

        fold_in = fold_of(first[2])
        noise = torch.randn(1, noise_channels, first[2], first[3], generator=g)
        self.register_buffer("noise", F.pixel_unshuffle(noise, fold_in) if fold_in > 1 else noise)
        self.stages = torch.nn.ModuleList()
        self.folds = []
        cin, side = noise_channels * fold_in * fold_in, first[2] // fold_in
        for name in points:
            _, c, h, _ = generator.shape_of(name)
            fold = fold_of(h)
            width = max(c, self.MIN_FOLDED_WIDTH) if fold > 1 else c
            down = torch.nn.Conv2d(cin, width, 3, stride=side // (h // fold), padding=1)
            body = torch.nn.Conv2d(width, width, 3, stride=1, padding=1)
            head = torch.nn.Conv2d(width, c * fold * fold, 3, stride=1, padding=1)
            with torch.no_grad():
                # Equalised learning rate: unit-variance weights, the He constant applied in compute().
                for conv in (down, body):
                    conv.weight.normal_(0, 1, generator=g)
                    conv.bias.zero_()
                head.weight.zero_()
                head.bias.zero_()
            gain = math.sqrt(2.0 / (1 + LEAKY * LEAKY))
            down.scale = gain / math.sqrt(cin * 9)
            body.scale = gain / math.sqrt(width * 9)
            head.scale = 1 / math.sqrt(width * 9)
            self.stages.append(torch.nn.ModuleList([down, body, head]))
            self.folds.append(fold)
            cin, side = width, h // fold

    def compute(self):
        deltas = {}
        x = self.noise
        for name, fold, (down, body, head) in zip(self.names, self.folds, self.stages):
            x = F.leaky_relu(F.conv2d(x, down.weight * down.scale, down.bias, stride=down.stride, padding=1), LEAKY)
            x = F.leaky_relu(F.conv2d(x, body.weight * body.scale, body.bias, padding=1), LEAKY)
            # The head reads the features less their mean over the image.
            delta = F.conv2d(x - x.mean(dim=(2, 3), keepdim=True), head.weight * head.scale, head.bias, padding=1)
            deltas[name] = F.pixel_shuffle(delta, fold) if fold > 1 else delta
        return deltas


def perturbation_hook(deltas, suppress_mask=None):
    def hook(name, h):
        delta = deltas.get(name)
        if delta is None:
            return h
        if suppress_mask is not None:
            cells = F.adaptive_avg_pool2d(suppress_mask, (h.shape[2], h.shape[3]))
            delta = delta * (1 - cells)
        return h * (1 + delta)
    return hook


def rectangle(resolution):
    """EditMask.Rectangle(R, R/4, R/4, R/3, R/3), as the SDK's benchmarks."""
    mask = torch.zeros(1, 1, resolution, resolution)
    x, w = resolution // 4, resolution // 3
    mask[:, :, x:x + w, x:x + w] = 1
    return mask


def keep_mask(edit, resolution):
    """keep = 1 - blur_sigma(dilate_d(edit)), d = 16 px and sigma = 4 px at 256^2, scaled with the resolution."""
    radius = round(16.0 * resolution / 256)
    sigma = 4.0 * resolution / 256
    grown = F.max_pool2d(edit, kernel_size=2 * radius + 1, stride=1, padding=radius) if radius > 0 else edit
    r = max(1, math.ceil(3 * sigma))
    offsets = torch.arange(-r, r + 1, dtype=torch.float32)
    kernel = (-(offsets * offsets) / (2 * sigma * sigma)).exp()
    kernel = kernel / kernel.sum()
    x = F.pad(grown, (r, r, r, r), mode="replicate")
    x = F.conv2d(x, kernel.view(1, 1, 1, -1))
    x = F.conv2d(x, kernel.view(1, 1, -1, 1))
    return (1 - x).clamp(0, 1)


def kept_psnr(output, photo, keep):
    with torch.no_grad():
        squared = ((output.clamp(-1, 1) - photo.clamp(-1, 1)) / 2).square()
        mse = (squared * keep).sum().item() / (keep.sum().item() * squared.shape[1])
        return float("inf") if mse <= 0 else -10 * math.log10(mse)


class Adaptation:
    """One fit's state: r_e, photo, keep, the perturbation and Adam."""

    def __init__(self, generator, kind, r, photo, keep):
        self.generator, self.r, self.photo, self.keep = generator, r, photo, keep
        self.perturbation = FreePerturbation(generator) if kind == "free" else PerturbationNetwork(generator)
        self.optimizer = torch.optim.Adam(self.perturbation.parameters(), lr=0.01, betas=(0.9, 0.99), eps=1e-8)

    def step(self):
        self.optimizer.zero_grad()
        deltas = self.perturbation.compute()
        output = self.generator.late(self.r, perturbation_hook(deltas))
        reconstruction = ((output - self.photo).abs() * self.keep).mean()
        penalty = sum(d.square().mean() for d in deltas.values())
        loss = reconstruction + 0.1 * penalty
        loss.backward()
        self.optimizer.step()
        return loss.item()

    def measure(self):
        with torch.no_grad():
            output = self.generator.late(self.r, perturbation_hook(self.perturbation.compute()))
        return kept_psnr(output, self.photo, self.keep)


def read_safetensors(path):
    """A safetensors file's float32 tensors by name and its metadata (Debian's python lacks the safetensors package)."""
    with open(path, "rb") as f:
        data = f.read()
    length = int.from_bytes(data[:8], "little")
    header = json.loads(data[8:8 + length])
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        if entry["dtype"] != "F32":
            raise ValueError(f"{path}: {name} is {entry['dtype']}, expected F32")
        begin, end = entry["data_offsets"]
        values = torch.frombuffer(bytearray(data[8 + length + begin:8 + length + end]), dtype=torch.float32)
        tensors[name] = values.reshape(entry["shape"])
    return tensors, header.get("__metadata__", {})


def random_resnet18(seed=5, stages=2):
    """Seeded stand-in weights for the stem and the first `stages` stages of a torchvision ResNet-18 (convs Kaiming
    normal, fan-out; BatchNorm identity statistics) and a constant BGR mean image: what phi reads, for timing only."""
    g = torch.Generator().manual_seed(seed)
    tensors = {}

    def conv(key, cout, cin, k):
        tensors[key + ".weight"] = torch.randn(cout, cin, k, k, generator=g) * math.sqrt(2.0 / (cout * k * k))

    def norm(key, c):
        tensors.update({key + ".weight": torch.ones(c), key + ".bias": torch.zeros(c),
                        key + ".running_mean": torch.zeros(c), key + ".running_var": torch.ones(c)})

    conv("conv1", 64, 3, 7)
    norm("bn1", 64)
    cin = 64
    for stage, cout in enumerate([64, 128, 256, 512][:stages], start=1):
        for block in range(2):
            prefix = f"layer{stage}.{block}"
            conv(prefix + ".conv1", cout, cin, 3)
            norm(prefix + ".bn1", cout)
            conv(prefix + ".conv2", cout, cout, 3)
            norm(prefix + ".bn2", cout)
            if block == 0 and cin != cout:
                conv(prefix + ".downsample.0", cout, cin, 1)
                norm(prefix + ".downsample.1", cout)
            cin = cout
    tensors["mean_image"] = torch.tensor([104.0, 117.0, 123.0]).view(1, 3, 1, 1).expand(1, 3, 224, 224).contiguous()
    return tensors


class ResNetFeatures:
    """phi as the SDK's ResNet18FeatureLoss (default options): images in [-1, 1] -> 0-255 -> RGB to BGR minus the mean
    image (area-shrunk or bilinearly enlarged to the image's size) -> conv1 (7x7/2) -> bn1 -> ReLU -> max-pool 3x3/2
    -> basic blocks of stages 1..`stage` (conv3x3 -> BN -> ReLU -> conv3x3 -> BN, + shortcut (1x1 conv + BN where the
    shape changes) -> ReLU; a stage's first block strides 2 from stage 2 on). Frozen weights, BatchNorm in eval mode."""

    def __init__(self, tensors, stage=2):
        self.weights = {k: v for k, v in tensors.items() if k != "mean_image"}
        self.mean_image = tensors["mean_image"]
        self.stage = stage
        self.means = {}

    def mean(self, height, width):
        if (height, width) == tuple(self.mean_image.shape[2:]):
            return self.mean_image
        if (height, width) not in self.means:
            if height < self.mean_image.shape[2]:
                resized = F.interpolate(self.mean_image, size=(height, width), mode="area")
            else:
                resized = F.interpolate(self.mean_image, size=(height, width), mode="bilinear", align_corners=False)
            self.means[(height, width)] = resized
        return self.means[(height, width)]

    def _norm(self, key, x):
        w = self.weights
        return F.batch_norm(x, w[key + ".running_mean"], w[key + ".running_var"], w[key + ".weight"], w[key + ".bias"],
                            training=False, eps=1e-5)

    def _conv(self, key, x, stride=1):
        weight = self.weights[key + ".weight"]
        return F.conv2d(x, weight, stride=stride, padding=weight.shape[2] // 2)

    def features(self, images):
        x = (images + 1) * 127.5
        x = x.flip(1) - self.mean(x.shape[2], x.shape[3])
        x = F.relu(self._norm("bn1", self._conv("conv1", x, stride=2)))
        x = F.max_pool2d(x, kernel_size=3, stride=2, padding=1)
        for stage in range(1, self.stage + 1):
            block = 0
            while f"layer{stage}.{block}.conv1.weight" in self.weights:
                prefix = f"layer{stage}.{block}"
                stride = 2 if stage > 1 and block == 0 else 1
                y = F.relu(self._norm(prefix + ".bn1", self._conv(prefix + ".conv1", x, stride)))
                y = self._norm(prefix + ".bn2", self._conv(prefix + ".conv2", y))
                if prefix + ".downsample.0.weight" in self.weights:
                    x = self._norm(prefix + ".downsample.1", self._conv(prefix + ".downsample.0", x, stride))
                x = F.relu(y + x)
                block += 1
        return x

    def distance(self, actual, expected):
        return (actual - expected).abs().mean()


def feature_check(phi, size):
    """phi's distance between two fixed smooth patterns, as the SDK's worker builds them."""
    with torch.no_grad():
        u = torch.linspace(-1, 1, size)
        x, y = u.view(1, 1, 1, size), u.view(1, 1, size, 1)
        channel = torch.arange(3, dtype=torch.float32).view(1, 3, 1, 1)
        first = torch.sin(x * 3 + y * 2 + channel)
        second = torch.cos(x * 2 - y * 3 + channel * 0.5) * 0.8
        return phi.distance(phi.features(first), phi.features(second)).item()


class Refinement:
    """Inversion refinement: residuals on layer1..layer3 (G_H's layers but the split one), from a latent; pixel-only,
    or with the feature loss when given phi."""

    def __init__(self, generator, z, photo, phi=None):
        self.generator, self.z, self.photo, self.phi = generator, z, photo, phi
        self.residuals = {layer["name"]: torch.zeros(1, layer["channels"], layer["side"], layer["side"], requires_grad=True)
                          for layer in generator.layers[:SPLIT - 1]}
        if phi is not None:
            with torch.no_grad():
                self.photo_features = phi.features(photo)
        self.optimizer = torch.optim.Adam(list(self.residuals.values()), lr=0.01, betas=(0.9, 0.99), eps=1e-8)

    def step(self):
        self.optimizer.zero_grad()
        residuals = self.residuals
        reconstruction = self.generator.late(self.generator.early(
            self.z, lambda name, h: h + residuals[name] if name in residuals else h))
        loss = (reconstruction - self.photo).abs().mean()
        if self.phi is not None:
            loss = loss + 1.0 * self.phi.distance(self.phi.features(reconstruction), self.photo_features)
        loss = loss + 1.0 * sum(d.square().mean() for d in residuals.values())
        loss.backward()
        self.optimizer.step()
        return loss.item()


def time_row(action, warmup, iterations):
    for _ in range(warmup):
        action()
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000.0)
    return times


def cpu_capability():
    for line in torch.__config__.show().splitlines():
        if "CPU capability usage:" in line:
            return line.split(":", 1)[1].strip()
    return "?"


def debian_package():
    try:
        import subprocess
        return subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "python3-torch"], capture_output=True, text=True,
                              check=False).stdout.strip()
    except OSError:
        return ""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--iterations", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--sizes", default="64,256")
    parser.add_argument("--fit-steps", default="20", help="K, or per size: 64:1000,256:100")
    parser.add_argument("--fit-iterations", type=int, default=1)
    parser.add_argument("--rows", default="", help="comma-separated row names to run (default: all)")
    parser.add_argument("--resnet18", help="safetensors file with phi's weights (torchvision keys and mean_image); "
                                           "default: seeded random ones")
    args = parser.parse_args()
    if ":" in args.fit_steps:
        fit_steps = {int(k): int(v) for k, v in (part.split(":") for part in args.fit_steps.split(","))}
    else:
        fit_steps = {}
    default_fit_steps = 20 if ":" in args.fit_steps else int(args.fit_steps)

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    wanted = set(filter(None, args.rows.split(",")))
    rows = {}
    phi = None
    if not wanted or "refine_feature_step" in wanted:
        if args.resnet18:
            weights, metadata = read_safetensors(args.resnet18)
            phi_weights = f"the SDK's {metadata.get('source', 'weights')}, read from the safetensors file the runner wrote"
        else:
            weights, phi_weights = random_resnet18(), "seeded random weights (no --resnet18 given)"
        phi = ResNetFeatures(weights)
    phi_checks = {}

    def run(name, size, action, warmup=args.warmup, iterations=args.iterations):
        if wanted and name not in wanted:
            return
        rows[f"{name}@{size}"] = time_row(action, warmup, iterations)
        print(f"# {name}@{size}: {min(rows[f'{name}@{size}']):.2f} ms min", file=sys.stderr, flush=True)

    for size in [int(s) for s in args.sizes.split(",") if s]:
        latent, channels = ARCHITECTURES[size]
        generator = ProGan(latent, channels, seed=1)
        g = torch.Generator().manual_seed(3)
        z = torch.randn(1, latent, generator=g)
        with torch.no_grad():
            r = generator.early(z)
            # A photo the generator cannot reproduce exactly: its image plus noise.
            photo = (generator.late(r) + 0.1 * torch.randn(1, 3, size, size, generator=g)).clamp(-1, 1)
        edit = rectangle(size)
        keep = keep_mask(edit, size)

        def forward_g():
            with torch.no_grad():
                generator.generate(z)

        def forward_gf():
            with torch.no_grad():
                generator.late(r)

        run("g_forward", size, forward_g)
        run("gf_forward", size, forward_gf)
        free = Adaptation(generator, "free", r, photo, keep)
        run("free_step", size, free.step)
        network = Adaptation(generator, "network", r, photo, keep)
        run("r_step", size, network.step)
        refinement = Refinement(generator, z, photo)
        run("refine_step", size, refinement.step)
        if phi is not None:
            run("refine_feature_step", size, Refinement(generator, z, photo, phi).step)
            phi_checks[str(size)] = feature_check(phi, size)

        def preview(adaptation):
            def render():
                with torch.no_grad():
                    generator.late(r, perturbation_hook(adaptation.perturbation.compute(), edit))
            return render

        run("preview_free", size, preview(free))
        run("preview_r", size, preview(network))

        def fit(kind):
            def action():
                adaptation = Adaptation(generator, kind, r, photo, keep_mask(edit, size))
                for _ in range(fit_steps.get(size, default_fit_steps)):
                    adaptation.step()
                adaptation.measure()
            return action

        run("fit_free", size, fit("free"), warmup=0, iterations=args.fit_iterations)
        run("fit_r", size, fit("network"), warmup=0, iterations=args.fit_iterations)

    meta = {
        "side": "pytorch",
        "version": torch.__version__,
        "python": platform.python_version(),
        "threads": torch.get_num_threads(),
        "cpu_capability": cpu_capability(),
        "package": debian_package(),
        "mkldnn": torch.backends.mkldnn.is_available(),
        "omp_num_threads": os.environ.get("OMP_NUM_THREADS", ""),
    }
    if phi is not None:
        meta["phi_weights"] = phi_weights
        meta["phi_check"] = phi_checks
    print(json.dumps({"meta": meta, "rows": rows}))


if __name__ == "__main__":
    main()
