namespace SemanticManipulation.Inversion;

/// <summary>
/// One of the encoder's per-layer inverters: <c>inv{i}</c> maps the output of early layer i back to its input (the
/// output of layer i−1, or z for <c>inv1</c>).
/// </summary>
/// <param name="Name">The module name, <c>inv{i}</c>.</param>
/// <param name="Layer">The generator layer it inverts.</param>
/// <param name="Input">The shape of that layer's output.</param>
/// <param name="Output">The shape of that layer's input; for <c>inv1</c>, z as <c>Z×1×1</c>.</param>
/// <param name="Stride">How much smaller the output is than the input (2 after an upsampling layer, else 1).</param>
/// <param name="HasConv3">Whether the inverter ends with a strided 1×1 conv (all but <c>inv2</c> in the authors' layout).</param>
internal sealed record InverterSpec(string Name, string Layer, FeatureShape Input, FeatureShape Output, int Stride, bool HasConv3)
{
    /// <summary>Whether this inverter maps to z (<c>inv1</c>).</summary>
    public bool ToLatent => Name == "inv1";
}
