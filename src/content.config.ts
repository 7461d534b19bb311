import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';

/** A chapter of the course: one MDX file in `content/chapters/`. */
const chapters = defineCollection({
  loader: glob({ pattern: '**/*.{md,mdx}', base: './content/chapters' }),
  schema: z.object({
    title: z.string().min(1),
    /** Position in the course, 1-based; unique across chapters. */
    order: z.number().int().positive(),
    /** One line for the home page and the chapter's description. */
    summary: z.string().min(1).max(240),
    /** What a reader can do after the chapter. */
    goals: z.array(z.string().min(1)).min(1),
  }),
});

export const collections = { chapters };
