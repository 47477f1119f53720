namespace SemanticManipulation.Training.World.Rendering;

/// <summary>A three-stop vertical sky gradient (zenith, middle, horizon) with an optional glow around the sun.</summary>
internal struct SkyMaterial(Rgb zenith, Rgb middle, Rgb horizon, float horizonY, Rgb glow, Vec2 glowCenter, float glowRadius) : IMaterial
{
    private readonly float _inverseHorizon = 1f / horizonY;
    private readonly float _inverseGlowRadiusSq = 1f / (glowRadius * glowRadius);
    private readonly bool _hasGlow = glow.R + glow.G + glow.B > 0f;
    private Rgb _rowColor;
    private float _rowGlowDistance;

    public void BeginRow(float y)
    {
        float t = Math.Clamp(y * _inverseHorizon, 0f, 1f);

        // Most of the change happens near the horizon, as in real skies.
        _rowColor = t < 0.55f ? Rgb.Lerp(zenith, middle, t * (1f / 0.55f)) : Rgb.Lerp(middle, horizon, (t - 0.55f) * (1f / 0.45f));
        float dy = (y - glowCenter.Y) * 1.6f;
        _rowGlowDistance = dy * dy;
    }

    public readonly Rgb Shade(float x, float y, Rgb under)
    {
        if (!_hasGlow)
        {
            return _rowColor;
        }

        float dx = x - glowCenter.X;
        float g = 1f / (1f + (((dx * dx) + _rowGlowDistance) * _inverseGlowRadiusSq));
        return _rowColor + (glow * (g * g));
    }
}
