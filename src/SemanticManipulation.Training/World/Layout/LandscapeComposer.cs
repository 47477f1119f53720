using SemanticManipulation.Training.World.Rendering;

namespace SemanticManipulation.Training.World.Layout;

/// <summary>Composes the distant terrain, the meadow and the path.</summary>
internal static class LandscapeComposer
{
    public static IReadOnlyList<SkylinePlan> ComposeSkylines(SceneRandom rng, Season season, float horizon)
    {
        var skylines = new List<SkylinePlan>();
        if (rng.Chance(0.65f))
        {
            Rgb green = rng.Vary(season == Season.Autumn ? new Rgb(0.40f, 0.42f, 0.25f) : new Rgb(0.30f, 0.42f, 0.26f), 0.1f, 0.15f);
            skylines.Add(new SkylinePlan
            {
                BaseY = horizon,
                Swell = rng.Range(0.03f, 0.13f),
                SwellScale = rng.Range(1.2f, 3.5f),
                Crowns = 0f,
                CrownScale = 1f,
                Light = green * 1.15f,
                Dark = green * 0.8f,
                Haze = rng.Range(0.35f, 0.65f),
                TextureScale = rng.Range(5f, 9f),
                Noise = rng.NoiseOffset(),
            });
        }

        if (rng.Chance(0.6f))
        {
            Rgb green = rng.Vary(season switch
            {
                Season.Autumn => new Rgb(0.36f, 0.30f, 0.14f),
                Season.Winter => new Rgb(0.24f, 0.24f, 0.20f),
                _ => new Rgb(0.15f, 0.28f, 0.12f),
            }, 0.1f, 0.15f);
            skylines.Add(new SkylinePlan
            {
                BaseY = horizon + 0.004f,
                Swell = rng.Range(0.004f, 0.03f),
                SwellScale = rng.Range(3f, 6f),
                Crowns = rng.Range(0.012f, 0.035f),
                CrownScale = rng.Range(22f, 45f),
                Light = green * 1.3f,
                Dark = green * 0.6f,
                Haze = rng.Range(0.1f, 0.3f),
                TextureScale = rng.Range(35f, 55f),
                Noise = rng.NoiseOffset(),
            });
        }

        return skylines;
    }

    public static GroundPlan ComposeGround(SceneRandom rng, Season season, TimeOfDay time)
    {
        (Rgb lush, Rgb dry) = season switch
        {
            Season.Summer => rng.Chance(0.3f)
                ? (new Rgb(0.50f, 0.54f, 0.22f), new Rgb(0.68f, 0.62f, 0.32f))
                : (new Rgb(0.32f, 0.52f, 0.17f), new Rgb(0.46f, 0.58f, 0.22f)),
            Season.Spring => (new Rgb(0.36f, 0.62f, 0.19f), new Rgb(0.52f, 0.68f, 0.25f)),
            Season.Autumn => (new Rgb(0.40f, 0.48f, 0.19f), new Rgb(0.58f, 0.52f, 0.24f)),
            _ => (new Rgb(0.42f, 0.45f, 0.30f), new Rgb(0.52f, 0.49f, 0.38f)),
        };

        return new GroundPlan
        {
            Lush = rng.Vary(lush, 0.06f, 0.1f),
            Dry = rng.Vary(dry, 0.06f, 0.1f),
            Haze = time == TimeOfDay.Overcast ? rng.Range(0.45f, 0.7f) : rng.Range(0.3f, 0.55f),
            Noise = rng.NoiseOffset(),
        };
    }

    /// <summary>A path to the main building's door, or (rarely) one wandering toward the horizon.</summary>
    public static PathPlan? ComposePath(SceneRandom rng, float horizon, IReadOnlyList<BuildingPlan> buildings, SceneWorldOptions options)
    {
        bool gravel = rng.Chance(0.6f);
        Rgb light = gravel ? rng.Vary(new Rgb(0.74f, 0.70f, 0.62f), 0.04f, 0.08f) : rng.Vary(new Rgb(0.58f, 0.45f, 0.32f), 0.05f, 0.08f);
        Rgb dark = gravel ? rng.Vary(new Rgb(0.50f, 0.47f, 0.42f), 0.04f, 0.08f) : rng.Vary(new Rgb(0.38f, 0.29f, 0.20f), 0.05f, 0.08f);
        float speckle = gravel ? rng.Range(0.45f, 0.7f) : rng.Range(0.2f, 0.35f);
        Vec2 noise = rng.NoiseOffset();
        BuildingPlan? main = buildings.Count > 0 ? buildings[0] : null;
        if (main?.Door is { } door && rng.Chance(options.PathChance))
        {
            float farY = main.BaseY - 0.002f;
            float farHalf = door.Width * 0.5f * rng.Range(0.95f, 1.25f);

            // Width grows in proportion to the distance below the horizon, as a parallel-sided path would.
            float nearHalf = Math.Clamp(farHalf * (1f - horizon) / MathF.Max(farY - horizon, 0.02f), 0.04f, 0.3f);
            return new PathPlan
            {
                FarY = farY,
                FarX = door.CenterX,
                NearX = door.CenterX + rng.Range(-0.25f, 0.25f),
                FarHalfWidth = farHalf,
                NearHalfWidth = nearHalf,
                Bend = rng.Range(-0.04f, 0.04f),
                Light = light,
                Dark = dark,
                Speckle = speckle,
                Noise = noise,
            };
        }

        if (!rng.Chance(options.PathChance * 0.4f))
        {
            return null;
        }

        return new PathPlan
        {
            FarY = horizon + rng.Range(0.01f, 0.05f),
            FarX = rng.Range(0.2f, 0.8f),
            NearX = rng.Range(0.2f, 0.8f),
            FarHalfWidth = 0.004f,
            NearHalfWidth = rng.Range(0.08f, 0.2f),
            Bend = rng.Range(-0.08f, 0.08f),
            Light = light,
            Dark = dark,
            Speckle = speckle,
            Noise = noise,
        };
    }
}
