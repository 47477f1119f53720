using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SemanticManipulation.Inversion;

/// <summary>
/// The authors' hybrid encoder (<c>HybridLayerNormEncoder</c>) as one module: <c>resnet</c> (image → r̂), then
/// <c>inv{k}</c> … <c>inv1</c> (r̂ back through every early layer to ẑ). Its state-dict keys are the authors'
/// (<c>resnet.layer5.conv5.weight</c>, <c>inv4.conv1.weight</c>, …).
/// </summary>
internal sealed class HybridEncoderNetwork : nn.Module<Tensor, Tensor>
{
    private readonly EncoderTrunk _trunk;
    private readonly nn.Module<Tensor, Tensor>[] _inverters;

    public HybridEncoderNetwork(HybridEncoderLayout layout)
        : base("HybridEncoder")
    {
        Layout = layout;
        _trunk = new EncoderTrunk(layout);
        register_module("resnet", _trunk);
        _inverters = new nn.Module<Tensor, Tensor>[layout.Inverters.Count];
        for (var i = 0; i < _inverters.Length; i++)
        {
            var spec = layout.Inverters[i];
            _inverters[i] = spec.ToLatent ? new LatentInverter(spec) : new LayerInverter(spec);
            register_module(spec.Name, _inverters[i]);
        }
    }

    public HybridEncoderLayout Layout { get; }

    public EncoderTrunk Trunk => _trunk;

    /// <summary>The inverters in running order (<c>inv{k}</c> first, <c>inv1</c> last), with their specs.</summary>
    public IEnumerable<(InverterSpec Spec, nn.Module<Tensor, Tensor> Module)> Inverters =>
        Layout.Inverters.Zip(_inverters);

    /// <summary>r̂ and ẑ for images <c>[N, 3, R, R]</c> in [-1, 1].</summary>
    public (Tensor Representation, Tensor Latent) Encode(Tensor images)
    {
        using var scope = NewDisposeScope();
        var representation = _trunk.forward(images);
        var latent = InvertToLatent(representation);
        return (representation.MoveToOuterDisposeScope(), latent.MoveToOuterDisposeScope());
    }

    /// <summary>Runs the inverters from a representation at the split layer down to ẑ <c>[N, Z]</c>.</summary>
    public Tensor InvertToLatent(Tensor representation)
    {
        using var scope = NewDisposeScope();
        var x = representation;
        foreach (var inverter in _inverters)
        {
            x = inverter.forward(x);
        }

        return x.MoveToOuterDisposeScope();
    }

    /// <summary>The inverters' final 1×1 convs, which joint training freezes.</summary>
    public IEnumerable<Parameter> Conv3Parameters() =>
        _inverters.OfType<LayerInverter>().SelectMany(i => i.Conv3Parameters());

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return InvertToLatent(_trunk.forward(input)).MoveToOuterDisposeScope();
    }
}
