import type { MrkdwnNode } from './slack-mrkdwn';

/**
 * A mrkdwn tree as elements: every piece of text a text node (Preact escapes it), links only to
 * the http(s) and mailto URLs the parser kept, opened in a new tab without a referrer.
 */
export function MrkdwnView({ nodes }: { nodes: readonly MrkdwnNode[] }) {
  return (
    <>
      {nodes.map((node, index) => {
        switch (node.kind) {
          case 'text':
            return node.text;
          case 'bold':
            return (
              <strong key={index}>
                <MrkdwnView nodes={node.children} />
              </strong>
            );
          case 'italic':
            return (
              <em key={index}>
                <MrkdwnView nodes={node.children} />
              </em>
            );
          case 'strike':
            return (
              <s key={index}>
                <MrkdwnView nodes={node.children} />
              </s>
            );
          case 'code':
            return (
              <code key={index} class="mrkdwn-code">
                {node.text}
              </code>
            );
          case 'pre':
            return (
              <pre key={index} class="mrkdwn-pre">
                {node.text}
              </pre>
            );
          case 'link':
            return (
              <a key={index} href={node.href} target="_blank" rel="noopener noreferrer nofollow">
                <MrkdwnView nodes={node.children} />
              </a>
            );
          case 'mention':
            return (
              <span key={index} class="mrkdwn-mention">
                {node.text}
              </span>
            );
          case 'emoji': {
            // Severity circles are drawn, not typed: they show where no emoji font is installed.
            const circle = /^(?:large_)?(red|orange|yellow|green|blue)_circle$/.exec(node.name)?.[1];
            if (circle) return <span key={index} class={`emoji-circle emoji-circle-${circle}`} role="img" aria-label={`${circle} circle`} />;
            return (
              <span key={index} role="img" aria-label={node.name.replace(/_/g, ' ')}>
                {node.char}
              </span>
            );
          }
          case 'break':
            return <br key={index} />;
        }
      })}
    </>
  );
}
