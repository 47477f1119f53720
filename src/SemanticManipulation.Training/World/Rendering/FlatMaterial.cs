namespace SemanticManipulation.Training.World.Rendering;

/// <summary>A single colour with a little mottling (trunks, finials, cornices).</summary>
internal readonly struct FlatMaterial(Rgb color, float mottle, float scale) : IMaterial
{
    public void BeginRow(float y)
    {
    }

    public Rgb Shade(float x, float y, Rgb under) => color * (1f + (mottle * ValueNoise.Sample(x * scale, y * scale)));
}
