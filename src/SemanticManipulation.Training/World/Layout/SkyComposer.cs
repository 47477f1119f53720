using SemanticManipulation.Training.World.Rendering;

namespace SemanticManipulation.Training.World.Layout;

/// <summary>Composes the sky gradient and the clouds for a time of day.</summary>
internal static class SkyComposer
{
    public static SkyPlan ComposeSky(SceneRandom rng, TimeOfDay time, float horizon, SceneLight light)
    {
        switch (time)
        {
            case TimeOfDay.Day:
            {
                Rgb zenith = rng.Vary(new Rgb(0.24f, 0.45f, 0.80f), 0.08f, 0.1f);
                Rgb middle = rng.Vary(new Rgb(0.47f, 0.66f, 0.90f), 0.05f, 0.05f);
                Rgb low = rng.Vary(new Rgb(0.76f, 0.85f, 0.94f), 0.03f, 0.04f);

                // A third of clear days are hazy: the whole gradient pales toward white-grey.
                float haze = rng.Chance(0.33f) ? rng.Range(0.25f, 0.5f) : 0f;
                Rgb pale = new(0.82f, 0.85f, 0.88f);
                return new SkyPlan
                {
                    Zenith = Rgb.Lerp(zenith, pale, haze),
                    Middle = Rgb.Lerp(middle, pale, haze),
                    Horizon = Rgb.Lerp(low, pale, haze * 0.5f),
                    Glow = new Rgb(0.06f, 0.06f, 0.05f),
                    GlowCenter = new Vec2(0.5f + (light.SunX * 0.6f), 0.05f),
                    GlowRadius = 0.35f,
                };
            }

            case TimeOfDay.Dusk:
                return new SkyPlan
                {
                    Zenith = rng.Vary(new Rgb(0.20f, 0.24f, 0.46f), 0.08f, 0.1f),
                    Middle = rng.Vary(new Rgb(0.62f, 0.46f, 0.58f), 0.08f, 0.06f),
                    Horizon = rng.Vary(new Rgb(1f, 0.68f, 0.38f), 0.06f, 0.04f),
                    Glow = rng.Vary(new Rgb(0.45f, 0.28f, 0.1f), 0.1f, 0.2f),
                    GlowCenter = new Vec2(0.5f + (light.SunX * 0.45f), horizon - 0.03f),
                    GlowRadius = rng.Range(0.15f, 0.3f),
                };

            default:
                return new SkyPlan
                {
                    Zenith = rng.Vary(new Rgb(0.56f, 0.59f, 0.64f), 0.03f, 0.08f),
                    Middle = rng.Vary(new Rgb(0.67f, 0.69f, 0.72f), 0.03f, 0.06f),
                    Horizon = rng.Vary(new Rgb(0.79f, 0.80f, 0.81f), 0.02f, 0.05f),
                    Glow = new Rgb(0f, 0f, 0f),
                    GlowCenter = new Vec2(0.5f, 0f),
                    GlowRadius = 1f,
                };
        }
    }

    public static IReadOnlyList<CloudPlan> ComposeClouds(SceneRandom rng, TimeOfDay time, float horizon, SceneWorldOptions options)
    {
        var clouds = new List<CloudPlan>();
        int count = time switch
        {
            TimeOfDay.Overcast => rng.Between(3, 6),
            TimeOfDay.Dusk => rng.Chance(options.CloudChance) ? rng.Between(1, 4) : 0,
            _ => rng.Chance(options.CloudChance) ? 1 + rng.Pick([0.2f, 0.24f, 0.22f, 0.18f, 0.1f, 0.06f]) : 0,
        };

        (Rgb lit, Rgb shadow) = time switch
        {
            TimeOfDay.Day => (rng.Vary(new Rgb(0.99f, 0.99f, 1f), 0.01f, 0.02f), rng.Vary(new Rgb(0.70f, 0.74f, 0.82f), 0.03f, 0.06f)),
            TimeOfDay.Dusk => (rng.Vary(new Rgb(1f, 0.78f, 0.60f), 0.05f, 0.05f), rng.Vary(new Rgb(0.45f, 0.38f, 0.50f), 0.05f, 0.08f)),
            _ => (rng.Vary(new Rgb(0.84f, 0.85f, 0.87f), 0.01f, 0.04f), rng.Vary(new Rgb(0.50f, 0.52f, 0.56f), 0.02f, 0.08f)),
        };

        for (int i = 0; i < count; i++)
        {
            bool flat = time == TimeOfDay.Dusk ? rng.Chance(0.6f) : rng.Chance(0.2f);
            clouds.Add(time == TimeOfDay.Overcast ? Mass(rng, horizon, lit, shadow)
                : flat ? Stratus(rng, horizon, lit, shadow)
                : Cumulus(rng, horizon, lit, shadow));
        }

        return clouds;
    }

    /// <summary>A heaped cloud: round lobes along a flat base, biggest in the middle.</summary>
    private static CloudPlan Cumulus(SceneRandom rng, float horizon, Rgb lit, Rgb shadow)
    {
        float cx = rng.Range(-0.1f, 1.1f);
        float width = rng.Range(0.14f, 0.42f);
        float height = width * rng.Range(0.3f, 0.5f);
        float baseY = rng.Range(0.1f + height, MathF.Max(0.12f + height, horizon - 0.06f));
        int n = rng.Between(3, 7);
        var lobes = new (float, float, float, float)[n];
        for (int i = 0; i < n; i++)
        {
            float rel = ((i + 0.5f) / n) - 0.5f;
            float r = height * rng.Range(0.5f, 0.75f) * (1f - MathF.Abs(rel));
            float lx = cx + (rel * width) + rng.Range(-0.02f, 0.02f);
            lobes[i] = (lx, baseY - (r * rng.Range(0.4f, 0.8f)), r * rng.Range(1.1f, 1.5f), r);
        }

        return new CloudPlan
        {
            Lobes = lobes,
            TopY = baseY - height,
            BaseY = baseY,
            ClipBottom = baseY,
            CenterX = cx,
            Lit = lit,
            Shadow = shadow,
            Opacity = rng.Range(0.85f, 1f),
            EdgeNoise = 0.3f,
            TextureScale = rng.Range(16f, 26f),
            Noise = rng.NoiseOffset(),
        };
    }

    /// <summary>A layered cloud: long, thin, translucent streaks.</summary>
    private static CloudPlan Stratus(SceneRandom rng, float horizon, Rgb lit, Rgb shadow)
    {
        float cx = rng.Range(-0.1f, 1.1f);
        float cy = rng.Range(0.06f, horizon - 0.08f);
        int n = rng.Between(1, 3);
        var lobes = new (float, float, float, float)[n];
        float top = float.MaxValue, bottom = float.MinValue;
        for (int i = 0; i < n; i++)
        {
            float rx = rng.Range(0.12f, 0.32f);
            float ry = rng.Range(0.014f, 0.032f);
            float x = cx + rng.Range(-0.15f, 0.15f);
            float y = cy + rng.Range(-0.03f, 0.03f);
            lobes[i] = (x, y, rx, ry);
            top = MathF.Min(top, y - ry);
            bottom = MathF.Max(bottom, y + ry);
        }

        return new CloudPlan
        {
            Lobes = lobes,
            TopY = top,
            BaseY = bottom,
            ClipBottom = float.PositiveInfinity,
            CenterX = cx,
            Lit = lit,
            Shadow = Rgb.Lerp(lit, shadow, 0.6f),
            Opacity = rng.Range(0.7f, 0.9f),
            EdgeNoise = 0.4f,
            TextureScale = rng.Range(14f, 24f),
            Noise = rng.NoiseOffset(),
        };
    }

    /// <summary>A broad overcast mass: many large, overlapping, darker-based lobes.</summary>
    private static CloudPlan Mass(SceneRandom rng, float horizon, Rgb lit, Rgb shadow)
    {
        float cx = rng.Range(-0.1f, 1.1f);
        float cy = rng.Range(0.05f, horizon - 0.12f);
        int n = rng.Between(4, 7);
        var lobes = new (float, float, float, float)[n];
        float top = float.MaxValue, bottom = float.MinValue;
        for (int i = 0; i < n; i++)
        {
            float rx = rng.Range(0.1f, 0.24f);
            float ry = rx * rng.Range(0.3f, 0.55f);
            float x = cx + rng.Range(-0.25f, 0.25f);
            float y = cy + rng.Range(-0.04f, 0.04f);
            lobes[i] = (x, y, rx, ry);
            top = MathF.Min(top, y - ry);
            bottom = MathF.Max(bottom, y + ry);
        }

        return new CloudPlan
        {
            Lobes = lobes,
            TopY = top,
            BaseY = bottom,
            ClipBottom = float.PositiveInfinity,
            CenterX = cx,
            Lit = lit,
            Shadow = shadow,
            Opacity = rng.Range(0.85f, 1f),
            EdgeNoise = 0.35f,
            TextureScale = rng.Range(10f, 18f),
            Noise = rng.NoiseOffset(),
        };
    }
}
