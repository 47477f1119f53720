using SemanticManipulation.Training.World.Rendering;

namespace SemanticManipulation.Training.World.Layout;

/// <summary>Composes trees (scattered over the meadow or beside buildings) and bushes along building fronts.</summary>
internal static class TreeComposer
{
    // Unit vectors at 45° steps, written out so that no platform trigonometry is involved.
    private const float Diagonal = 0.70710677f;
    private static readonly Vec2[] Directions =
    [
        new(1f, 0f), new(Diagonal, -Diagonal), new(0f, -1f), new(-Diagonal, -Diagonal),
        new(-1f, 0f), new(-Diagonal, Diagonal), new(0f, 1f), new(Diagonal, Diagonal),
    ];

    public static IReadOnlyList<TreePlan> Compose(SceneRandom rng, Season season, float horizon, IReadOnlyList<BuildingPlan> buildings, SceneWorldOptions options)
    {
        var trees = new List<TreePlan>();
        int count = Math.Min(options.MaxTrees, rng.Pick([0.05f, 0.08f, 0.12f, 0.14f, 0.15f, 0.14f, 0.12f, 0.1f, 0.1f]));
        BuildingPlan? main = buildings.Count > 0 ? buildings[0] : null;
        for (int i = 0; i < count; i++)
        {
            TreeKind kind = season == Season.Winter
                ? (rng.Chance(0.55f) ? TreeKind.Bare : TreeKind.Conifer)
                : rng.Pick([0.5f, 0.25f, 0.25f]) switch { 0 => TreeKind.Round, 1 => TreeKind.Conifer, _ => TreeKind.Poplar };
            float x, baseY;
            if (buildings.Count > 0 && rng.Chance(0.45f))
            {
                // Beside a building, at about its depth.
                BuildingPlan b = buildings[rng.Between(0, buildings.Count - 1)];
                float left = b.X - (b.Width * 0.5f) - (b.Side < 0 ? b.SideWidth : 0f);
                float right = b.X + (b.Width * 0.5f) + (b.Side > 0 ? b.SideWidth : 0f);
                x = rng.Chance(0.5f) ? right + rng.Range(0f, 0.08f) : left - rng.Range(0f, 0.08f);
                baseY = b.BaseY + rng.Range(-0.02f, 0.04f);
            }
            else
            {
                // Anywhere on the meadow, more often far away (where the ground is denser in the image).
                float u = rng.NextFloat();
                baseY = horizon + 0.015f + ((1.06f - horizon - 0.015f) * u * u);
                x = rng.Range(-0.05f, 1.05f);
            }

            float scale = Math.Clamp((baseY - horizon) / 0.17f, 0.25f, 2.4f);
            float height = scale * kind switch
            {
                TreeKind.Round => rng.Range(0.2f, 0.34f),
                TreeKind.Conifer => rng.Range(0.22f, 0.38f),
                TreeKind.Poplar => rng.Range(0.28f, 0.42f),
                _ => rng.Range(0.22f, 0.36f),
            };
            if (baseY < 0.92f)
            {
                height = MathF.Min(height, baseY - 0.03f);
            }

            float crown = height * kind switch
            {
                TreeKind.Round => rng.Range(0.6f, 0.95f),
                TreeKind.Conifer => rng.Range(0.4f, 0.56f),
                TreeKind.Poplar => rng.Range(0.22f, 0.32f),
                _ => rng.Range(0.6f, 0.9f),
            };

            // Trees in front of the main building step aside so that its door stays visible.
            if (main?.Door is { } door && baseY > main.BaseY - 0.005f)
            {
                float clear = (crown * 0.5f) + door.Width;
                if (MathF.Abs(x - door.CenterX) < clear)
                {
                    x = door.CenterX + ((x < door.CenterX ? -clear : clear) * 1.1f);
                }
            }

            trees.Add(MakeTree(rng, kind, season, x, baseY, height, crown));
        }

        foreach (BuildingPlan b in buildings)
        {
            if (!rng.Chance(0.35f))
            {
                continue;
            }

            int n = rng.Between(1, 3);
            for (int i = 0; i < n; i++)
            {
                float bx = b.X + (rng.Range(-0.5f, 0.5f) * b.Width);
                float bh = b.WallHeight * rng.Range(0.15f, 0.3f);
                float bw = bh * rng.Range(1.3f, 2f);
                if (b.Door is { } d && MathF.Abs(bx - d.CenterX) < (d.Width * 0.6f) + (bw * 0.5f))
                {
                    bx = d.CenterX + ((bx < d.CenterX ? -1f : 1f) * ((d.Width * 0.6f) + (bw * 0.55f)));
                }

                trees.Add(MakeTree(rng, TreeKind.Bush, season, bx, b.BaseY + 0.006f, bh, bw));
            }
        }

        return trees;
    }

    private static TreePlan MakeTree(SceneRandom rng, TreeKind kind, Season season, float x, float baseY, float height, float crown)
    {
        (Rgb light, Rgb dark, Rgb accent, float share) = Foliage(rng, kind, season);
        (float, float, float, float)[] lobes;
        switch (kind)
        {
            case TreeKind.Round or TreeKind.Bare:
            {
                float rx = crown * 0.5f, ry = height * 0.36f;
                float cx = x + (rng.Range(-0.1f, 0.1f) * rx), cy = baseY - height + ry;
                int n = rng.Between(3, 6);
                lobes = new (float, float, float, float)[n + 1];
                lobes[0] = (cx, cy, rx * 0.8f, ry * 0.82f);
                int start = rng.Between(0, 7);
                for (int i = 0; i < n; i++)
                {
                    Vec2 dir = Directions[(start + (i * 8 / n)) % 8];
                    float reach = rng.Range(0.35f, 0.55f);
                    lobes[i + 1] = (cx + (dir.X * rx * reach), cy + (dir.Y * ry * reach),
                        rx * rng.Range(0.42f, 0.58f), ry * rng.Range(0.42f, 0.58f));
                }

                break;
            }

            case TreeKind.Poplar:
                lobes =
                [
                    (x, baseY - (height * 0.52f), crown * 0.5f, height * 0.44f),
                    (x + (rng.Range(-0.15f, 0.15f) * crown), baseY - (height * 0.74f), crown * 0.38f, height * 0.24f),
                ];
                break;

            case TreeKind.Bush:
            {
                int n = rng.Between(2, 3);
                lobes = new (float, float, float, float)[n];
                for (int i = 0; i < n; i++)
                {
                    float rel = n == 1 ? 0f : ((float)i / (n - 1)) - 0.5f;
                    lobes[i] = (x + (rel * crown * 0.5f), baseY - (height * rng.Range(0.4f, 0.55f)), crown * rng.Range(0.3f, 0.4f), height * 0.5f);
                }

                break;
            }

            default:
                lobes = [];
                break;
        }

        Rgb bark = rng.Chance(0.08f) ? rng.Vary(new Rgb(0.75f, 0.73f, 0.68f), 0.03f, 0.05f) : rng.Vary(new Rgb(0.32f, 0.25f, 0.19f), 0.08f, 0.15f);
        return new TreePlan
        {
            Kind = kind,
            X = x,
            BaseY = baseY,
            Height = height,
            CrownWidth = crown,
            Lobes = lobes,
            Light = light,
            Dark = dark,
            Accent = accent,
            AccentShare = share,
            Bark = bark,
            Noise = rng.NoiseOffset(),
        };
    }

    private static (Rgb Light, Rgb Dark, Rgb Accent, float Share) Foliage(SceneRandom rng, TreeKind kind, Season season)
    {
        if (kind == TreeKind.Conifer || (kind == TreeKind.Bush && season == Season.Winter))
        {
            return (rng.Vary(new Rgb(0.27f, 0.46f, 0.30f), 0.08f, 0.15f), rng.Vary(new Rgb(0.03f, 0.13f, 0.08f), 0.1f, 0.2f), default, 0f);
        }

        if (kind == TreeKind.Bare)
        {
            return (rng.Vary(new Rgb(0.55f, 0.47f, 0.42f), 0.06f, 0.12f), rng.Vary(new Rgb(0.22f, 0.18f, 0.16f), 0.06f, 0.15f), default, 0f);
        }

        switch (season)
        {
            case Season.Spring:
            {
                bool blossom = kind == TreeKind.Round && rng.Chance(0.15f);
                return (rng.Vary(new Rgb(0.58f, 0.76f, 0.30f), 0.06f, 0.1f), rng.Vary(new Rgb(0.15f, 0.30f, 0.09f), 0.08f, 0.15f),
                    new Rgb(0.95f, 0.88f, 0.92f), blossom ? rng.Range(0.3f, 0.5f) : 0f);
            }

            case Season.Autumn:
            {
                var (light, dark) = Palettes.AutumnLeaves[kind == TreeKind.Poplar ? 2 : rng.Between(0, Palettes.AutumnLeaves.Length - 1)];
                Rgb accent = Palettes.AutumnLeaves[rng.Between(0, Palettes.AutumnLeaves.Length - 1)].Light;
                return (rng.Vary(light, 0.06f, 0.1f), rng.Vary(dark, 0.08f, 0.15f), accent, rng.Range(0.2f, 0.5f));
            }

            default:
                return (rng.Vary(new Rgb(0.45f, 0.62f, 0.24f), 0.08f, 0.12f), rng.Vary(new Rgb(0.09f, 0.20f, 0.06f), 0.1f, 0.15f),
                    new Rgb(0.60f, 0.68f, 0.30f), rng.Range(0f, 0.3f));
        }
    }
}
