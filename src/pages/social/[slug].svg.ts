import type { APIRoute, GetStaticPaths } from 'astro';
import { chaptersInOrder } from '../../lib/chapters';
import { socialImage, type SocialCard } from '../../lib/social-image';

/** One link-preview image per chapter (`social/<chapter>.svg`) and one for the home page (`index`). */
export const getStaticPaths = (async () => {
  const chapters = await chaptersInOrder();
  const cards: { slug: string; card: SocialCard }[] = chapters.map((chapter) => ({
    slug: chapter.id,
    card: {
      kicker: `Chapter ${chapter.data.order}`,
      title: chapter.data.title,
      summary: chapter.data.summary,
    },
  }));
  cards.push({
    slug: 'index',
    card: {
      kicker: 'An open, interactive course',
      title: 'How to initialize neural-network weights, and why',
      summary: 'Variance rules, Xavier/Glorot and He/Kaiming, and every way initialization fails.',
    },
  });
  return cards.map(({ slug, card }) => ({ params: { slug }, props: { card } }));
}) satisfies GetStaticPaths;

export const GET: APIRoute<{ card: SocialCard }> = ({ props }) =>
  new Response(socialImage(props.card), { headers: { 'content-type': 'image/svg+xml' } });
