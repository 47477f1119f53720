namespace SemanticManipulation.Training.World.Rendering;

/// <summary>A meadow in perspective: broad patches of two tones, clumps and blade streaks, hazy toward the horizon.</summary>
internal readonly struct GrassMaterial(GroundFrame ground, Rgb lush, Rgb dry, Rgb haze, float hazeAmount, Rgb light, Vec2 noiseOffset) : IMaterial
{
    public Rgb Shade(float x, float y, Rgb under)
    {
        Vec2 g = ground.ToGround(x, y);
        float patch = ValueNoise.Fractal((g.X * 0.45f) + noiseOffset.X, (g.Y * 0.3f) + noiseOffset.Y);
        float detail = ground.Detail(y);
        float clump = ValueNoise.Sample((g.X * 2.5f) + noiseOffset.Y, (g.Y * 2.5f) + noiseOffset.X);

        // Blades: much finer across than along the view direction, which reads as upright streaks.
        float blade = ValueNoise.Sample((g.X * 14f) + noiseOffset.X, g.Y * 3.5f);
        Rgb c = Rgb.Lerp(lush, dry, Math.Clamp(0.5f + patch, 0f, 1f));
        c = c * light * (1f + (detail * ((0.16f * clump) + (0.14f * blade))));
        return Rgb.Lerp(c, haze, hazeAmount * ground.Haze(y));
    }
}
