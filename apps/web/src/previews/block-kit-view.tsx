import type { PreviewBlock, SlackPreview } from './block-kit';
import { MrkdwnView } from './mrkdwn-view';

/**
 * A Slack message drawn the way Slack lays it out: the app's name over its blocks, a header in
 * large bold, sections with their fields two to a row, context in small muted type, buttons as
 * links. Built from {@link readSlackMessage}'s tree: nothing of the message is ever markup.
 */
export function BlockKitView({ message, appName }: { message: SlackPreview; appName: string }) {
  return (
    <div class="slack-message">
      <div class="slack-avatar" aria-hidden="true">
        ◎
      </div>
      <div class="slack-body">
        <p class="slack-sender">
          <strong>{appName}</strong> <span class="slack-app-tag">app</span>
        </p>
        {message.blocks.length === 0 && message.text && (
          <p class="bk-section">
            <MrkdwnView nodes={message.text.nodes} />
          </p>
        )}
        {message.blocks.map((block, index) => (
          <Block key={index} block={block} />
        ))}
      </div>
    </div>
  );
}

function Block({ block }: { block: PreviewBlock }) {
  switch (block.type) {
    case 'header':
      return (
        <p class="bk-header" data-block="header">
          <MrkdwnView nodes={block.text.nodes} />
        </p>
      );
    case 'section':
      return (
        <div class="bk-section" data-block="section">
          {block.text && (
            <p class="bk-text">
              <MrkdwnView nodes={block.text.nodes} />
            </p>
          )}
          {block.fields.length > 0 && (
            <div class="bk-fields">
              {block.fields.map((field, index) => (
                <p key={index} class="bk-field">
                  <MrkdwnView nodes={field.nodes} />
                </p>
              ))}
            </div>
          )}
        </div>
      );
    case 'context':
      return (
        <p class="bk-context" data-block="context">
          {block.elements.map((element, index) => (
            <span key={index} class="bk-context-element">
              {element.kind === 'image' ? `[${element.alt}]` : <MrkdwnView nodes={element.text.nodes} />}
            </span>
          ))}
        </p>
      );
    case 'divider':
      return <hr class="bk-divider" />;
    case 'actions':
      return (
        <p class="bk-actions" data-block="actions">
          {block.buttons.map((button, index) =>
            button.href ? (
              <a key={index} class={`bk-button${button.style ? ` bk-button-${button.style}` : ''}`} href={button.href} target="_blank" rel="noopener noreferrer nofollow">
                <MrkdwnView nodes={button.label.nodes} />
              </a>
            ) : (
              <span key={index} class="bk-button bk-button-inert" title="An interactive button: Slack would call the app">
                <MrkdwnView nodes={button.label.nodes} />
              </span>
            ),
          )}
        </p>
      );
    case 'image':
      return <p class="bk-context">[image: {block.alt}]</p>;
    case 'unknown':
      return <p class="bk-context muted">(a {block.blockType} block, which this preview does not draw)</p>;
  }
}
