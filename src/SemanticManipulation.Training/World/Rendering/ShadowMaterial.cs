namespace SemanticManipulation.Training.World.Rendering;

/// <summary>Darkens what is already painted, most at the centre of an elliptical footprint: contact shadows.</summary>
internal readonly struct ShadowMaterial(float centerX, float centerY, float radiusX, float radiusY, float strength) : IMaterial
{
    public void BeginRow(float y)
    {
    }

    public Rgb Shade(float x, float y, Rgb under)
    {
        float dx = (x - centerX) / radiusX;
        float dy = (y - centerY) / radiusY;
        float falloff = Math.Clamp(1.6f * (1f - ((dx * dx) + (dy * dy))), 0f, 1f);
        return under * (1f - (strength * falloff));
    }
}
