package sse

import (
	"fmt"

	"github.com/grafana/sobek"
)

// Handler names a script may register with client.on.
const (
	handlerOpen  = "open"
	handlerEvent = "event"
	handlerError = "error"
)

// client is the object the setup function of sse.open receives. It only ever
// runs on the VU goroutine: setup and handlers are called from open's loop.
type client struct {
	handlers map[string][]sobek.Callable
	closed   bool // set by client.close(); open's loop stops after the current handler
	obj      *sobek.Object
}

func newClient(rt *sobek.Runtime) (*client, error) {
	c := &client{handlers: map[string][]sobek.Callable{}, obj: rt.NewObject()}
	if err := c.obj.Set("on", c.on); err != nil {
		return nil, err
	}
	if err := c.obj.Set("close", func() { c.closed = true }); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *client) on(name string, fn sobek.Value) error {
	switch name {
	case handlerOpen, handlerEvent, handlerError:
	default:
		return fmt.Errorf("client.on: the event name must be one of open, event, error, but is %q", name)
	}
	callable, ok := sobek.AssertFunction(fn)
	if !ok {
		return fmt.Errorf("client.on(%q): the handler must be a function", name)
	}
	c.handlers[name] = append(c.handlers[name], callable)
	return nil
}

// emit calls every handler registered for name, in registration order; a
// handler that throws stops the stream and the exception reaches the script.
func (c *client) emit(name string, arg sobek.Value) error {
	for _, fn := range c.handlers[name] {
		if _, err := fn(sobek.Undefined(), arg); err != nil {
			return err
		}
	}
	return nil
}
