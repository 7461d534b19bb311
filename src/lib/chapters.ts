import { getCollection, type CollectionEntry } from 'astro:content';

export type Chapter = CollectionEntry<'chapters'>;

/** All chapters in course order; fails the build if two chapters claim the same position. */
export async function chaptersInOrder(): Promise<Chapter[]> {
  const all = await getCollection('chapters');
  const sorted = all.sort((a, b) => a.data.order - b.data.order);
  sorted.forEach((chapter, i) => {
    const next = sorted[i + 1];
    if (next && next.data.order === chapter.data.order) {
      throw new Error(
        `Chapters "${chapter.id}" and "${next.id}" both have order ${chapter.data.order}; each chapter needs its own.`,
      );
    }
  });
  return sorted;
}
