import type { CardElement, CardPreview } from './adaptive-card';

/** An Adaptive Card drawn simply: its text blocks, fact sets as title/value pairs, its URL actions as links. */
export function AdaptiveCardView({ card }: { card: CardPreview }) {
  return (
    <div class="adaptive-card">
      <Elements elements={card.body} />
      {card.actions.length > 0 && (
        <p class="ac-actions">
          {card.actions.map((action, index) =>
            action.href ? (
              <a key={index} class="ac-action" href={action.href} target="_blank" rel="noopener noreferrer nofollow">
                {action.title}
              </a>
            ) : (
              <span key={index} class="ac-action ac-action-inert">
                {action.title}
              </span>
            ),
          )}
        </p>
      )}
    </div>
  );
}

function Elements({ elements }: { elements: readonly CardElement[] }) {
  return (
    <>
      {elements.map((element, index) => {
        switch (element.type) {
          case 'TextBlock':
            return (
              <p
                key={index}
                class={`ac-text ac-size-${element.size}${element.bold ? ' ac-bold' : ''}${element.subtle ? ' ac-subtle' : ''}${element.color ? ` ac-color-${element.color.toLowerCase()}` : ''}`}
              >
                {element.text}
              </p>
            );
          case 'FactSet':
            return (
              <dl key={index} class="ac-facts">
                {element.facts.map((fact, n) => (
                  <div key={n}>
                    <dt>{fact.title}</dt>
                    <dd>{fact.value}</dd>
                  </div>
                ))}
              </dl>
            );
          case 'Container':
            return (
              <div key={index} class="ac-container">
                <Elements elements={element.items} />
              </div>
            );
          case 'unknown':
            return (
              <p key={index} class="ac-text ac-subtle">
                (a {element.elementType} element, which this preview does not draw)
              </p>
            );
        }
      })}
    </>
  );
}
